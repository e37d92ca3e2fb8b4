// What the GitHub double knows: the accounts, tokens, repositories and everything on them that a
// test sets up and reads back. Plain data; the routes (githubRoutes.ts) read and change it.
import type { RepositoryPermission } from '../../src/core/github/facts';

export type AccountType = 'User' | 'Bot' | 'Organization';

export interface UserState {
  login: string;
  id: number;
  type: AccountType;
  name: string | null;
}

/**
 * A token and what it may do. A classic token has `scopes` (GitHub sends them as X-OAuth-Scopes);
 * a fine-grained token has `permissions` instead; an app's installation token (Actions'
 * GITHUB_TOKEN) has `app: true` and belongs to a bot.
 */
export interface TokenState {
  token: string;
  login: string;
  scopes?: string[];
  permissions?: Record<string, 'read' | 'write'>;
  app?: boolean;
}

export interface PullRequestState {
  number: number;
  id: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  /** The commit the merge made on the base; default: the head (a fast-forward). */
  mergeCommitSha?: string | null;
  head: { ref: string; sha: string; owner: string; repo: string };
  base: { ref: string; sha: string };
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  reviews: ReviewState[];
  threads: ReviewThreadState[];
}

export interface ReviewState {
  id: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  body: string;
  submittedAt: string;
}

export interface ReviewThreadState {
  id: number;
  path: string;
  line: number | null;
  resolved: boolean;
  outdated: boolean;
  /** Who wrote the first comment; null for a deleted account (GitHub's ghost). */
  author: string | null;
  commentId: number;
}

export interface IssueCommentState {
  id: number;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface StatusState {
  id: number;
  sha: string;
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  creator: string | null;
  createdAt: string;
}

export interface CheckRunState {
  id: number;
  sha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  /** The app's slug (`github-actions`), or null. */
  app: string | null;
  appId: number | null;
}

export interface IssueState {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  user: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** A rule in force on a branch, as `GET /repos/{o}/{r}/rules/branches/{b}` answers it. */
export type BranchRuleState =
  | { type: 'required_status_checks'; checks: { context: string; integrationId?: number }[]; strict?: boolean; rulesetId: number }
  | { type: 'pull_request'; requiredApprovals: number; rulesetId: number }
  | { type: 'deletion' | 'non_fast_forward'; rulesetId: number };

/** Classic branch protection: the settings an auditor asks about. */
export interface BranchProtectionState {
  requiredApprovals: number;
  codeOwnerReviews: boolean;
  enforceAdmins: boolean;
  requiredChecks: string[];
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  collaborators: Map<string, RepositoryPermission>;
  commits: Set<string>;
  pulls: Map<number, PullRequestState>;
  issues: Map<number, IssueState>;
  comments: IssueCommentState[];
  statuses: StatusState[];
  checkRuns: CheckRunState[];
  /** Branch name (exact, or a `*` glob) → the rules in force on it. */
  branchRules: Map<string, BranchRuleState[]>;
  /** Classic branch protection, by branch name. */
  protection: Map<string, BranchProtectionState>;
  nextNumber: number;
}

export interface TeamState {
  id: number;
  slug: string;
  name: string;
  privacy: 'closed' | 'secret';
  members: Map<string, { state: 'active' | 'pending'; role: 'member' | 'maintainer' }>;
}

export interface OrgState {
  login: string;
  id: number;
  members: Set<string>;
  teams: Map<string, TeamState>;
}

export class GitHubState {
  readonly users = new Map<string, UserState>();
  readonly tokens = new Map<string, TokenState>();
  readonly repos = new Map<string, RepoState>();
  readonly orgs = new Map<string, OrgState>();
  private nextId = 1000;
  private tick = 0;
  /** The double's clock: every write moves it a second on, so that order is never a tie. */
  private readonly epoch = Date.parse('2026-03-02T09:00:00Z');

  id(): number {
    return ++this.nextId;
  }

  now(): string {
    return new Date(this.epoch + ++this.tick * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** The repository `owner/name` (GitHub matches names without regard to case). */
  repo(fullName: string): RepoState | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  mustRepo(fullName: string): RepoState {
    const repo = this.repo(fullName);
    if (!repo) throw new Error(`the GitHub double has no repository ${fullName}: add it with double.repo()`);
    return repo;
  }

  user(login: string): UserState | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** An account, created as a User on first mention so that tests need not list everyone. */
  ensureUser(login: string, type: AccountType = 'User'): UserState {
    let user = this.user(login);
    if (!user) {
      user = { login, id: this.id(), type: login.endsWith('[bot]') ? 'Bot' : type, name: null };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  /** The role a user has on a repository: collaborators as set, the owning user admin. */
  permissionOf(repo: RepoState, login: string): RepositoryPermission {
    const own = [...repo.collaborators].find(([l]) => l.toLowerCase() === login.toLowerCase())?.[1];
    if (own) return own;
    if (repo.owner.toLowerCase() === login.toLowerCase()) return 'admin';
    return repo.private ? 'none' : 'read';
  }

  org(login: string): OrgState | undefined {
    return this.orgs.get(login.toLowerCase());
  }
}

const ORDER: RepositoryPermission[] = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];

export function atLeast(has: RepositoryPermission, needs: RepositoryPermission): boolean {
  return ORDER.indexOf(has) >= ORDER.indexOf(needs);
}
