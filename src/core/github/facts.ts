// What GitHub says, as plain values: the facts a door gathers through the `GitHub` port and the
// engine decides on. Nothing here talks to GitHub; the shapes are ours, not the REST payloads.

/** A repository on GitHub (or GitHub Enterprise Server): `owner/name`. */
export interface GitHubRepo {
  owner: string;
  name: string;
}

/** Who a token belongs to (`GET /user`). Only a `User` can sign off: an app's or CI's token cannot. */
export interface GitHubAccount {
  login: string;
  /** GitHub's account type: `User`, `Bot`, `Organization`, … */
  type: string;
}

export interface PullRequestSummary {
  number: number;
  url: string;
  author: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  headSha: string;
  /** The branch the pull request comes from, and the owner of its repository (forks differ). */
  headRef: string;
  headOwner: string;
  /** The branch it targets: `main`, or the branch below it in a stack. */
  baseRef: string;
  baseSha: string;
  title: string;
  mergedAt: string | null;
  /** Who merged it; null when not merged, and in listings (GitHub names them only on the pull request itself). */
  mergedBy: string | null;
  /** The commit the merge made on the base (a merge commit, the squashed commit or the last rebased one). */
  mergeCommitSha: string | null;
  /** When the pull request last changed (GitHub lists closed ones by it). */
  updatedAt: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** One submitted review, as GitHub lists them (chronological). */
export interface ReviewRecord {
  id: number;
  reviewer: string;
  state: ReviewState;
  /** The commit the review was given on. */
  commit: string;
  submittedAt: string;
  url: string;
}

export interface ReviewThreadRecord {
  path: string;
  /** The line on the current diff; null when outdated or on a file. */
  line: number | null;
  url: string;
  resolved: boolean;
  outdated: boolean;
  /** Who started it. */
  author: string;
}

/** A repository role as `GET /repos/{owner}/{repo}/collaborators/{user}/permission` names it. */
export type RepositoryPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/**
 * Whether a user is in a team. `unknown`: the token cannot see the team (GitHub answers 404 both
 * for a non-member and for a token without `read:org`), which never counts as a member.
 */
export type TeamMembership = 'member' | 'not-member' | 'unknown';

export interface IssueComment {
  id: number;
  url: string;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success';

export interface CommitStatus {
  context: string;
  state: CommitStatusState;
  description: string | null;
  targetUrl: string | null;
  /** Who set it (null when GitHub does not say): the statuses list carries it, the combined status does not. */
  creator: GitHubAccount | null;
  createdAt: string;
}

export interface NewCommitStatus {
  context: string;
  state: CommitStatusState;
  /** At most 140 characters (GitHub refuses longer ones). */
  description: string;
  targetUrl?: string;
}

/** A required status check of the rules in force on a branch (`GET /repos/{o}/{r}/rules/branches/{b}`). */
export interface RequiredCheck {
  context: string;
  /** The app it is pinned to, when it is. */
  integrationId: number | null;
}

export interface CheckRunSummary {
  name: string;
  status: string;
  conclusion: string | null;
  app: string | null;
}

export interface IssueSummary {
  number: number;
  url: string;
  state: 'open' | 'closed';
  title: string;
  body: string;
  assignees: string[];
  createdAt: string;
  closedAt: string | null;
}

export interface NewIssue {
  title: string;
  body: string;
  assignees?: string[];
  labels?: string[];
}

/**
 * A branch's configuration as an auditor asks for it, as of the report: the rules in force on it
 * (rulesets) and its classic protection, each as GitHub gives it, or why it could not be read.
 */
export interface BranchConfiguration {
  rules: { type: string; rulesetId: number | null; parameters: unknown }[] | { unreadable: string };
  protection: { state: 'protected'; settings: unknown } | { state: 'not-protected' } | { state: 'unreadable'; why: string };
}
