// The REST operations the GitHub double answers, by GitHub's operation id, each the way GitHub
// behaves: who may see and change what, the limits it enforces (140-character status
// descriptions, 1,000 statuses per sha and context, 65,536-character comments), newest-first
// statuses, 404 for what a token may not see, pagination by per_page/page with Link headers.
import * as bodies from './githubBodies';
import type { Urls } from './githubBodies';
import { atLeast, type GitHubState, type IssueState, type OrgState, type PullRequestState, type RepoState, type TeamState, type TokenState, type UserState } from './githubState';
import type { RepositoryPermission } from '../../src/core/github/facts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Auth {
  token: TokenState;
  user: UserState;
}

export interface RouteContext {
  state: GitHubState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Undefined for a request without a token. */
  auth: Auth | undefined;
  urls: Urls;
  /** The whole request URL, for the Link header's next pages. */
  requestUrl: URL;
}

export interface Reply {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export interface Route {
  /** The classic scopes that would do, sent as X-Accepted-OAuth-Scopes as GitHub does. */
  scopes: string[];
  handle(ctx: RouteContext): Reply;
}

const DOCS = 'https://docs.github.com/rest';

/** A refusal GitHub would send: the route throws it, the server answers it. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: Json[]; documentationUrl?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  body(): Json {
    return {
      message: this.message,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
      documentation_url: this.extra.documentationUrl ?? DOCS,
      status: String(this.status),
    };
  }
}

const notFound = () => new GitHubHttpError(404, 'Not Found');

function validationFailed(resource: string, field: string, code: string, message: string, docs: string): GitHubHttpError {
  return new GitHubHttpError(422, 'Validation Failed', { errors: [{ resource, code, field, message }], documentationUrl: docs });
}

// ---- access ---------------------------------------------------------------------------------------

function requireAuth(ctx: RouteContext): Auth {
  if (!ctx.auth) throw new GitHubHttpError(401, 'Requires authentication');
  return ctx.auth;
}

function tokenCanRead(token: TokenState | undefined, repo: RepoState): boolean {
  if (!repo.private) return true;
  if (!token) return false;
  if (token.scopes) return token.scopes.includes('repo');
  return true; // fine-grained and app tokens always carry metadata: read for their repositories
}

/** The repository of the path, or 404 when it does not exist or the token may not see it. */
function visibleRepo(ctx: RouteContext): RepoState {
  const repo = ctx.state.repo(`${ctx.params.owner}/${ctx.params.repo}`);
  if (!repo) throw notFound();
  if (repo.private && (!ctx.auth || ctx.state.permissionOf(repo, ctx.auth.user.login) === 'none' || !tokenCanRead(ctx.auth.token, repo))) throw notFound();
  return repo;
}

interface Needs {
  role: RepositoryPermission;
  /** The fine-grained permission, e.g. `statuses` write. */
  permission: [string, 'read' | 'write'];
  /** Classic scopes any one of which will do. */
  scopes: string[];
  refusal: string;
}

/**
 * A write: the person's role on the repository, then what the token itself may do. A classic
 * token without the scope gets 404 (GitHub does not say the repository exists); a fine-grained or
 * app token without the permission gets 403 naming it in X-Accepted-GitHub-Permissions.
 */
function requireAccess(ctx: RouteContext, repo: RepoState, needs: Needs): Auth {
  const auth = requireAuth(ctx);
  const { token } = auth;
  if (token.scopes) {
    if (!needs.scopes.some((s) => token.scopes!.includes(s))) throw notFound();
  } else if (token.permissions) {
    const has = token.permissions[needs.permission[0]];
    if (!has || (needs.permission[1] === 'write' && has !== 'write')) {
      throw new GitHubHttpError(403, `Resource not accessible by ${token.app ? 'integration' : 'personal access token'}`, {
        headers: { 'x-accepted-github-permissions': `${needs.permission[0]}=${needs.permission[1]}` },
      });
    }
  }
  if (!atLeast(ctx.state.permissionOf(repo, auth.user.login), needs.role)) {
    if (repo.private && ctx.state.permissionOf(repo, auth.user.login) === 'none') throw notFound();
    throw new GitHubHttpError(403, needs.refusal);
  }
  return auth;
}

function canReadOrg(token: TokenState): boolean {
  if (token.app) return false; // Actions' GITHUB_TOKEN cannot read team membership
  if (token.scopes) return token.scopes.some((s) => ['read:org', 'write:org', 'admin:org'].includes(s));
  return token.permissions?.members !== undefined;
}

// ---- pagination ---------------------------------------------------------------------------------

function intParam(ctx: RouteContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  return raw === null ? fallback : Number.parseInt(raw, 10);
}

/** One page of `items` as GitHub serves it: per_page (≤ 100, default 30), page, and Link. */
function paginate<T>(ctx: RouteContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.max(1, Math.min(100, intParam(ctx, 'per_page', 30)));
  const page = Math.max(1, intParam(ctx, 'page', 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.requestUrl);
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : {} };
}

function list<T>(ctx: RouteContext, items: T[], render: (item: T) => Json): Reply {
  const page = paginate(ctx, items);
  return { status: 200, body: page.items.map(render), headers: page.headers };
}

// ---- lookups ------------------------------------------------------------------------------------

/** A commit by full sha, or by an abbreviation of at least 7 characters that is unambiguous. */
function findCommit(repo: RepoState, ref: string): string | undefined {
  const wanted = ref.toLowerCase();
  if (repo.commits.has(wanted)) return wanted;
  if (!/^[0-9a-f]{7,40}$/.test(wanted)) return undefined;
  const matches = [...repo.commits].filter((sha) => sha.startsWith(wanted));
  return matches.length === 1 ? matches[0] : undefined;
}

/** A ref as the statuses and check-run lists take it: a sha, or a branch whose head is known. */
function resolveRef(repo: RepoState, ref: string): string | undefined {
  const sha = findCommit(repo, ref);
  if (sha) return sha;
  const branch = ref.replace(/^(refs\/)?heads\//, '');
  const pull = [...repo.pulls.values()].reverse().find((p) => p.head.ref === branch && p.head.repo === repo.name);
  return pull?.head.sha;
}

function issueOrPull(repo: RepoState, number: number): IssueState | PullRequestState | undefined {
  return repo.issues.get(number) ?? repo.pulls.get(number);
}

function globMatch(pattern: string, branch: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  return regex.test(branch);
}

export const MAX_COMMENT = 65536;
export const MAX_DESCRIPTION = 140;
export const MAX_STATUSES = 1000;

const STATUS_DOCS = 'https://docs.github.com/rest/commits/statuses#create-a-commit-status';
const COMMENT_DOCS = 'https://docs.github.com/rest/issues/comments#create-an-issue-comment';

function commentBody(body: unknown, docs: string): string {
  const text = (body as { body: string }).body;
  if (text.length > MAX_COMMENT) throw validationFailed('IssueComment', 'data', 'unprocessable', `Body is too long (maximum is ${MAX_COMMENT} characters)`, docs);
  return text;
}

// ---- the routes ---------------------------------------------------------------------------------

export const routes: Record<string, Route> = {
  'meta/root': {
    scopes: [],
    handle(ctx) {
      requireAuth(ctx);
      return { status: 200, body: bodies.apiRoot(ctx.urls) };
    },
  },

  'users/get-authenticated': {
    scopes: [],
    handle(ctx) {
      const auth = requireAuth(ctx);
      if (auth.token.app) throw new GitHubHttpError(403, 'Resource not accessible by integration');
      return { status: 200, body: bodies.privateUser(auth.user, ctx.urls, '2024-01-01T00:00:00Z') };
    },
  },

  'repos/get-commit': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const sha = findCommit(repo, ctx.params.ref);
      if (!sha) throw new GitHubHttpError(422, `No commit found for SHA: ${ctx.params.ref}`, { documentationUrl: 'https://docs.github.com/rest/commits/commits#get-a-commit' });
      return { status: 200, body: bodies.commit(repo, sha, ctx.urls) };
    },
  },

  'pulls/list': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const state = ctx.query.get('state') ?? 'open';
      const head = ctx.query.get('head');
      const base = ctx.query.get('base');
      const pulls = [...repo.pulls.values()]
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => {
          if (!head) return true;
          const [owner, ref] = head.includes(':') ? [head.slice(0, head.indexOf(':')), head.slice(head.indexOf(':') + 1)] : [repo.owner, head];
          return p.head.owner.toLowerCase() === owner.toLowerCase() && p.head.ref === ref;
        })
        .filter((p) => !base || p.base.ref === base)
        .sort((a, b) => {
          // GitHub's orders: created (the default, by number here), updated, popularity, long-running.
          const by = ctx.query.get('sort') === 'updated' ? Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.number - b.number : a.number - b.number;
          return ctx.query.get('direction') === 'asc' ? by : -by;
        });
      return list(ctx, pulls, (p) => bodies.pullRequestSimple(ctx.state, repo, p, ctx.urls));
    },
  },

  'pulls/get': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const pr = repo.pulls.get(Number(ctx.params.pull_number));
      if (!pr) throw notFound();
      return { status: 200, body: bodies.pullRequest(ctx.state, repo, pr, ctx.urls) };
    },
  },

  'pulls/list-reviews': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const pr = repo.pulls.get(Number(ctx.params.pull_number));
      if (!pr) throw notFound();
      // A pending review is seen by its own author only.
      const reviews = pr.reviews.filter((r) => r.state !== 'PENDING' || r.user.toLowerCase() === ctx.auth?.user.login.toLowerCase());
      return list(ctx, reviews, (r) => bodies.review(ctx.state, repo, pr, r, ctx.urls));
    },
  },

  'repos/get-collaborator-permission-level': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const user = ctx.state.user(ctx.params.username);
      if (!user) throw new GitHubHttpError(404, `${ctx.params.username} is not a user`);
      return { status: 200, body: bodies.collaboratorPermission(ctx.state, repo, user, ctx.urls) };
    },
  },

  'teams/get-by-name': {
    scopes: ['read:org', 'write:org', 'admin:org'],
    handle(ctx) {
      const { org, team } = visibleTeam(ctx);
      return { status: 200, body: bodies.teamFull(org, team, ctx.urls) };
    },
  },

  'teams/get-membership-for-user-in-org': {
    scopes: ['read:org', 'write:org', 'admin:org'],
    handle(ctx) {
      const { org, team } = visibleTeam(ctx);
      const login = [...team.members.keys()].find((l) => l.toLowerCase() === ctx.params.username.toLowerCase());
      if (!login) throw notFound();
      return { status: 200, body: bodies.teamMembership(org, team, login, team.members.get(login)!, ctx.urls) };
    },
  },

  'issues/list-comments': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const number = Number(ctx.params.issue_number);
      if (!issueOrPull(repo, number)) throw notFound();
      const since = ctx.query.get('since');
      const comments = repo.comments.filter((c) => c.issueNumber === number && (!since || c.updatedAt >= since));
      return list(ctx, comments, (c) => bodies.issueComment(ctx.state, repo, c, ctx.urls));
    },
  },

  'issues/create-comment': {
    scopes: ['repo', 'public_repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const number = Number(ctx.params.issue_number);
      const target = issueOrPull(repo, number);
      const auth = requireAccess(ctx, repo, { role: 'read', permission: ['head' in (target ?? {}) ? 'pull_requests' : 'issues', 'write'], scopes: ['repo', 'public_repo'], refusal: 'Must have read access to repository' });
      if (!target) throw notFound();
      const now = ctx.state.now();
      const comment = { id: ctx.state.id(), issueNumber: number, user: auth.user.login, body: commentBody(ctx.body, COMMENT_DOCS), createdAt: now, updatedAt: now };
      repo.comments.push(comment);
      return { status: 201, body: bodies.issueComment(ctx.state, repo, comment, ctx.urls), headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}` } };
    },
  },

  'issues/update-comment': {
    scopes: ['repo', 'public_repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const comment = repo.comments.find((c) => c.id === Number(ctx.params.comment_id));
      const isPull = comment ? repo.pulls.has(comment.issueNumber) : false;
      const own = comment && ctx.auth && comment.user.toLowerCase() === ctx.auth.user.login.toLowerCase();
      requireAccess(ctx, repo, { role: own ? 'read' : 'write', permission: [isPull ? 'pull_requests' : 'issues', 'write'], scopes: ['repo', 'public_repo'], refusal: 'Must have write access to edit the comments of others' });
      if (!comment) throw notFound();
      comment.body = commentBody(ctx.body, 'https://docs.github.com/rest/issues/comments#update-an-issue-comment');
      comment.updatedAt = ctx.state.now();
      return { status: 200, body: bodies.issueComment(ctx.state, repo, comment, ctx.urls) };
    },
  },

  'repos/list-commit-statuses-for-ref': {
    scopes: ['repo', 'repo:status'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const sha = resolveRef(repo, ctx.params.ref);
      const statuses = sha ? repo.statuses.filter((s) => s.sha === sha).reverse() : [];
      return list(ctx, statuses, (s) => bodies.commitStatus(ctx.state, repo, s, ctx.urls));
    },
  },

  'repos/create-commit-status': {
    scopes: ['repo', 'repo:status'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const auth = requireAccess(ctx, repo, { role: 'write', permission: ['statuses', 'write'], scopes: ['repo', 'repo:status'], refusal: 'Must have push access to repository' });
      const sha = findCommit(repo, ctx.params.sha);
      if (!sha || sha.length !== 40) throw new GitHubHttpError(422, `No commit found for SHA: ${ctx.params.sha}`, { documentationUrl: STATUS_DOCS });
      const body = ctx.body as { state: 'error' | 'failure' | 'pending' | 'success'; target_url?: string | null; description?: string | null; context?: string };
      const description = body.description ?? null;
      if (description !== null && description.length > MAX_DESCRIPTION) throw validationFailed('Status', 'description', 'custom', `description is too long (maximum is ${MAX_DESCRIPTION} characters)`, STATUS_DOCS);
      const context = body.context ?? 'default';
      // Contexts are case-insensitive: `Signoff` and `signoff` share one count.
      const count = repo.statuses.filter((s) => s.sha === sha && s.context.toLowerCase() === context.toLowerCase()).length;
      if (count >= MAX_STATUSES) throw validationFailed('Status', 'context', 'custom', 'This SHA and context has reached the maximum number of statuses.', STATUS_DOCS);
      const status = { id: ctx.state.id(), sha, context, state: body.state, description, targetUrl: body.target_url ?? null, creator: auth.user.login, createdAt: ctx.state.now() };
      repo.statuses.push(status);
      return { status: 201, body: bodies.commitStatus(ctx.state, repo, status, ctx.urls), headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/statuses/${sha}` } };
    },
  },

  'repos/get-branch-rules': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const rules = [...repo.branchRules].filter(([pattern]) => globMatch(pattern, ctx.params.branch)).flatMap(([, r]) => r);
      return list(ctx, rules, (r) => bodies.branchRule(repo, r));
    },
  },

  'repos/get-branch-protection': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      // Reading protection needs admin: anyone else gets 404, as if the branch did not exist.
      if (ctx.state.permissionOf(repo, requireAuth(ctx).user.login) !== 'admin') throw notFound();
      const protection = repo.protection.get(ctx.params.branch);
      if (!protection) throw new GitHubHttpError(404, 'Branch not protected', { documentationUrl: 'https://docs.github.com/rest/branches/branch-protection#get-branch-protection' });
      return { status: 200, body: bodies.branchProtection(repo, ctx.params.branch, protection, ctx.urls) };
    },
  },

  'checks/list-for-ref': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const sha = resolveRef(repo, ctx.params.ref);
      if (!sha) throw new GitHubHttpError(422, `No commit found for SHA: ${ctx.params.ref}`);
      const name = ctx.query.get('check_name');
      const status = ctx.query.get('status');
      const appId = ctx.query.get('app_id');
      let runs = repo.checkRuns.filter((r) => r.sha === sha && (!name || r.name === name) && (!status || r.status === status) && (!appId || r.appId === Number(appId)));
      // filter=latest (the default): the newest run of each name and app.
      if ((ctx.query.get('filter') ?? 'latest') === 'latest') runs = runs.filter((r) => !runs.some((o) => o.name === r.name && o.app === r.app && o.id > r.id));
      runs = [...runs].reverse();
      const page = paginate(ctx, runs);
      return { status: 200, body: { total_count: runs.length, check_runs: page.items.map((r) => bodies.checkRun(ctx.state, repo, r, ctx.urls)) }, headers: page.headers };
    },
  },

  'issues/list-for-repo': {
    scopes: ['repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const state = ctx.query.get('state') ?? 'open';
      const labels = (ctx.query.get('labels') ?? '').split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
      // Like GitHub, the issues list holds pull requests too (each with a `pull_request` key).
      const all: (IssueState | PullRequestState)[] = [...repo.issues.values(), ...repo.pulls.values()];
      const items = all
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
        .sort((a, b) => (ctx.query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
      return list(ctx, items, (i) => bodies.issue(ctx.state, repo, i, ctx.urls));
    },
  },

  'issues/create': {
    scopes: ['repo', 'public_repo'],
    handle(ctx) {
      const repo = visibleRepo(ctx);
      const auth = requireAccess(ctx, repo, { role: 'read', permission: ['issues', 'write'], scopes: ['repo', 'public_repo'], refusal: 'Must have read access to repository' });
      const body = ctx.body as { title: string | number; body?: string | null; labels?: (string | { name?: string })[]; assignees?: string[] };
      // GitHub drops labels and assignees, silently, from someone without push access.
      const pusher = atLeast(ctx.state.permissionOf(repo, auth.user.login), 'triage');
      const assignees = pusher ? (body.assignees ?? []) : [];
      for (const a of assignees) {
        if (!ctx.state.user(a) || !atLeast(ctx.state.permissionOf(repo, a), 'triage')) {
          throw new GitHubHttpError(422, 'Validation Failed', { errors: [{ value: a, resource: 'Issue', field: 'assignees', code: 'invalid' }], documentationUrl: 'https://docs.github.com/rest/issues/issues#create-an-issue' });
        }
      }
      const now = ctx.state.now();
      const issue: IssueState = {
        number: repo.nextNumber++,
        id: ctx.state.id(),
        title: String(body.title),
        body: body.body ?? null,
        state: 'open',
        user: auth.user.login,
        labels: pusher ? (body.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean) : [],
        assignees,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      repo.issues.set(issue.number, issue);
      return { status: 201, body: bodies.issue(ctx.state, repo, issue, ctx.urls), headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` } };
    },
  },
};

/**
 * A team the token may see: an org member's token with read:org (or a fine-grained token with
 * members), and a secret team only to its members. Otherwise 404, exactly as for a team that does
 * not exist: GitHub never tells "cannot see" from "not there".
 */
function visibleTeam(ctx: RouteContext): { org: OrgState; team: TeamState } {
  const auth = requireAuth(ctx);
  const org = ctx.state.org(ctx.params.org);
  if (!org || !canReadOrg(auth.token) || ![...org.members].some((m) => m.toLowerCase() === auth.user.login.toLowerCase())) throw notFound();
  const team = org.teams.get(ctx.params.team_slug.toLowerCase());
  if (!team) throw notFound();
  if (team.privacy === 'secret' && !team.members.has(auth.user.login)) throw notFound();
  return { org, team };
}
