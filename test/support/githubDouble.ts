// A local GitHub for tests: an HTTP server on 127.0.0.1 that answers the REST and GraphQL calls
// Change Control makes, from state a test sets up and reads back, and that checks every request
// it gets and every response it sends against GitHub's own published descriptions (REST:
// @octokit/openapi; GraphQL: @octokit/graphql-schema). Whatever GitHub would refuse, or could
// never have sent, is a violation; a test calls assertNoViolations() after each case.
//
//   const github = await startGitHubDouble();
//   github.token('tok-alice', 'alice', { scopes: ['repo', 'read:org'] });
//   github.repo('acme/app', { collaborators: { alice: 'write' } });
//   github.push('acme/app', sha);
//   ... createGitHub({ token: 'tok-alice', baseUrl: github.url }) ...
//   github.assertNoViolations(); await github.close();
//
// GitHub Enterprise paths are served too: `${github.url}/api/v3` for REST, `/api/graphql`.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RepositoryPermission } from '../../src/core/github/facts';
import type { Urls } from './githubBodies';
import { answerGraphql } from './githubGraphql';
import { checkRequest, checkResponse, findOperation } from './githubOpenApi';
import { GitHubHttpError, routes, type Auth, type Reply } from './githubRoutes';
import { GitHubState, type AccountType, type BranchProtectionState, type BranchRuleState, type CheckRunState, type IssueCommentState, type IssueState, type PullRequestState, type ReviewState, type ReviewThreadState, type StatusState, type TokenState } from './githubState';

export { GitHubState } from './githubState';

export interface Violation {
  kind: 'route' | 'request' | 'response' | 'unimplemented' | 'double';
  method: string;
  path: string;
  operationId?: string;
  status?: number;
  problems: string[];
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, with `/api/v3` when it came that way. */
  path: string;
  operationId?: string;
  /** The status answered; `hang` or `drop` for those faults. */
  status: number | 'hang' | 'drop';
  /** The GraphQL variables, for GraphQL requests. */
  variables?: Record<string, unknown>;
}

/** What the double does instead of answering from state. */
export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers: the client's timeout must end the request. */
  | { kind: 'hang' }
  /** Closes the connection without an answer. */
  | { kind: 'drop' };

export interface FaultOptions {
  /** How many requests in a row get it (default 1). */
  times?: number;
  /** Only requests for this REST operation id (`repos/create-commit-status`), or `graphql`. */
  operation?: string;
}

const ERROR_DOCS = 'https://docs.github.com/rest';

/** The faults GitHub really produces, with the headers it sends with each. */
export const faults = {
  unauthorized(): Fault {
    return { kind: 'status', status: 401, body: { message: 'Bad credentials', documentation_url: ERROR_DOCS, status: '401' } };
  },
  /** A classic token without the scope the operation accepts. */
  missingScope(accepted: string[], has: string[]): Fault {
    return {
      kind: 'status',
      status: 403,
      body: { message: 'Resource not accessible by personal access token', documentation_url: ERROR_DOCS, status: '403' },
      headers: { 'x-accepted-oauth-scopes': accepted.join(', '), 'x-oauth-scopes': has.join(', ') },
    };
  },
  /** A fine-grained token or an app without the permission, e.g. `statuses=write`. */
  missingPermission(permission: string): Fault {
    return {
      kind: 'status',
      status: 403,
      body: { message: 'Resource not accessible by personal access token', documentation_url: ERROR_DOCS, status: '403' },
      headers: { 'x-accepted-github-permissions': permission },
    };
  },
  /** An organisation with SAML SSO that the token has not been authorised for. */
  sso(org: string, requestId = 'a1b2c3'): Fault {
    return {
      kind: 'status',
      status: 403,
      body: { message: 'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.', documentation_url: 'https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/', status: '403' },
      headers: { 'x-github-sso': `required; url=https://github.com/orgs/${org}/sso?authorization_request=${requestId}` },
    };
  },
  /** 403 without any header that says why. */
  forbidden(message = 'Forbidden'): Fault {
    return { kind: 'status', status: 403, body: { message, documentation_url: ERROR_DOCS, status: '403' } };
  },
  /** The primary rate limit spent; `reset` in epoch seconds. */
  primaryRateLimit(reset: number, status: 403 | 429 = 403): Fault {
    return {
      kind: 'status',
      status,
      body: { message: 'API rate limit exceeded for user ID 1001. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: String(status) },
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-used': '5000' },
    };
  },
  /** A secondary (abuse) rate limit, with the Retry-After GitHub sends. */
  secondaryRateLimit(retryAfterSeconds?: number): Fault {
    return {
      kind: 'status',
      status: 403,
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits', status: '403' },
      headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    };
  },
  notFound(): Fault {
    return { kind: 'status', status: 404, body: { message: 'Not Found', documentation_url: ERROR_DOCS, status: '404' } };
  },
  unprocessable(message: string, errors: unknown[] = []): Fault {
    return { kind: 'status', status: 422, body: { message, errors, documentation_url: ERROR_DOCS, status: '422' } };
  },
  /** 500 and 503 come as JSON; 502 and 504 as GitHub's HTML page, as from its front end. */
  serverError(status: 500 | 502 | 503 | 504 = 500): Fault {
    if (status === 502 || status === 504) return { kind: 'status', status, body: '<html><body><h1>Whoa there!</h1><p>GitHub is having trouble.</p></body></html>' };
    return { kind: 'status', status, body: { message: status === 503 ? 'Service Unavailable' : 'Server Error', documentation_url: ERROR_DOCS, status: String(status) } };
  },
  hang(): Fault {
    return { kind: 'hang' };
  },
  drop(): Fault {
    return { kind: 'drop' };
  },
};

interface PendingFault {
  fault: Fault;
  left: number;
  operation?: string;
}

/** A rule as a test states it; the double gives the rules of one call one ruleset id. */
export type BranchRuleInit = WithoutRuleset<BranchRuleState>;
type WithoutRuleset<R> = R extends unknown ? Omit<R, 'rulesetId'> : never;

export interface RepoOptions {
  private?: boolean;
  defaultBranch?: string;
  collaborators?: Record<string, RepositoryPermission>;
}

export interface PullRequestInit {
  number?: number;
  title?: string;
  body?: string | null;
  author: string;
  head: { ref: string; sha: string; owner?: string; repo?: string };
  base?: { ref?: string; sha: string };
  state?: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
  mergedAt?: string | null;
  mergedBy?: string | null;
  mergeCommitSha?: string | null;
  labels?: string[];
  updatedAt?: string;
}

export class GitHubDouble {
  readonly state = new GitHubState();
  readonly requests: RecordedRequest[] = [];
  private readonly violationList: Violation[] = [];
  private readonly pending: PendingFault[] = [];
  private readonly used = new Map<string, number>();
  /** The rate limit window's end, in epoch seconds, as GitHub's headers give it. */
  readonly rateLimitReset = Math.floor(Date.now() / 1000) + 3600;

  private constructor(
    private readonly server: Server,
    /** The REST root, github.com style: `http://127.0.0.1:PORT`. */
    readonly url: string,
  ) {}

  static async start(): Promise<GitHubDouble> {
    let double: GitHubDouble | undefined;
    const server = createServer((req, res) => {
      void double!.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    double = new GitHubDouble(server, `http://127.0.0.1:${port}`);
    return double;
  }

  /** GitHub Enterprise Server's REST root on the double. */
  get enterpriseUrl(): string {
    return `${this.url}/api/v3`;
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  get enterpriseGraphqlUrl(): string {
    return `${this.url}/api/graphql`;
  }

  /** Stops the server and ends every connection, hung ones included. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  violations(): readonly Violation[] {
    return this.violationList;
  }

  /** The violations so far, cleared: for a test that expects some. */
  takeViolations(): Violation[] {
    return this.violationList.splice(0);
  }

  /** Throws, listing each, when anything was sent or served that GitHub would not have. */
  assertNoViolations(): void {
    if (!this.violationList.length) return;
    const list = this.violationList.splice(0).map((v) => `- ${v.kind}: ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ''}${v.status ? ` → ${v.status}` : ''}\n    ${v.problems.join('\n    ')}`);
    throw new Error(`The GitHub double saw ${list.length} violation(s) of GitHub's API:\n${list.join('\n')}`);
  }

  /** The next request(s), optionally of one operation, get this fault instead of an answer. */
  fail(fault: Fault, options: FaultOptions = {}): this {
    this.pending.push({ fault, left: options.times ?? 1, operation: options.operation });
    return this;
  }

  /** Requests made for an operation id (or `graphql`). */
  requestsFor(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  // ---- state set-up ------------------------------------------------------------------------------

  user(login: string, options: { type?: AccountType; name?: string } = {}): this {
    const user = this.state.ensureUser(login, options.type);
    if (options.type) user.type = options.type;
    if (options.name !== undefined) user.name = options.name;
    return this;
  }

  /** A token for `login`; classic with `scopes`, fine-grained with `permissions`, an app's with `app`. */
  token(token: string, login: string, options: Omit<TokenState, 'token' | 'login'> = {}): this {
    this.state.ensureUser(login, options.app ? 'Bot' : 'User');
    this.state.tokens.set(token, { token, login, ...options });
    return this;
  }

  repo(fullName: string, options: RepoOptions = {}): this {
    const [owner, name] = fullName.split('/');
    this.state.ensureUser(owner, this.state.org(owner) ? 'Organization' : 'User');
    const collaborators = new Map(Object.entries(options.collaborators ?? {}));
    for (const login of collaborators.keys()) this.state.ensureUser(login);
    this.state.repos.set(fullName.toLowerCase(), {
      id: this.state.id(),
      owner,
      name,
      private: options.private ?? true,
      defaultBranch: options.defaultBranch ?? 'main',
      collaborators,
      commits: new Set(),
      pulls: new Map(),
      issues: new Map(),
      comments: [],
      statuses: [],
      checkRuns: [],
      branchRules: new Map(),
      protection: new Map(),
      nextNumber: 1,
    });
    return this;
  }

  /** Commits GitHub now has (as after `git push`). */
  push(fullName: string, ...shas: string[]): this {
    const repo = this.state.mustRepo(fullName);
    for (const sha of shas) repo.commits.add(sha.toLowerCase());
    return this;
  }

  pullRequest(fullName: string, init: PullRequestInit): PullRequestState {
    const repo = this.state.mustRepo(fullName);
    const number = init.number ?? repo.nextNumber;
    repo.nextNumber = Math.max(repo.nextNumber, number + 1);
    this.state.ensureUser(init.author);
    const now = this.state.now();
    const merged = init.merged ?? false;
    const state = init.state ?? (merged ? 'closed' : 'open');
    const pr: PullRequestState = {
      number,
      id: this.state.id(),
      title: init.title ?? `Change ${number}`,
      body: init.body ?? null,
      author: init.author,
      state,
      draft: init.draft ?? false,
      merged,
      mergedAt: init.mergedAt ?? (merged ? now : null),
      mergedBy: init.mergedBy ?? (merged ? repo.owner : null),
      mergeCommitSha: init.mergeCommitSha ?? null,
      head: { ref: init.head.ref, sha: init.head.sha, owner: init.head.owner ?? repo.owner, repo: init.head.repo ?? repo.name },
      base: { ref: init.base?.ref ?? repo.defaultBranch, sha: init.base?.sha ?? '0'.repeat(40) },
      labels: init.labels ?? [],
      createdAt: now,
      updatedAt: init.updatedAt ?? init.mergedAt ?? now,
      closedAt: state === 'closed' ? (init.mergedAt ?? now) : null,
      reviews: [],
      threads: [],
    };
    repo.commits.add(pr.head.sha);
    if (init.mergeCommitSha) repo.commits.add(init.mergeCommitSha);
    if (init.base?.sha) repo.commits.add(init.base.sha);
    repo.pulls.set(number, pr);
    return pr;
  }

  private pull(fullName: string, number: number): PullRequestState {
    const pr = this.state.mustRepo(fullName).pulls.get(number);
    if (!pr) throw new Error(`the GitHub double has no pull request #${number} in ${fullName}`);
    return pr;
  }

  /** A submitted review; reviews are listed in the order they are added. */
  review(fullName: string, number: number, init: { user: string; state: ReviewState['state']; commitId?: string; body?: string; submittedAt?: string }): ReviewState {
    const pr = this.pull(fullName, number);
    this.state.ensureUser(init.user);
    const review: ReviewState = { id: this.state.id(), user: init.user, state: init.state, commitId: init.commitId ?? pr.head.sha, body: init.body ?? '', submittedAt: init.submittedAt ?? this.state.now() };
    pr.reviews.push(review);
    return review;
  }

  reviewThread(fullName: string, number: number, init: { path: string; line?: number | null; resolved?: boolean; outdated?: boolean; author?: string | null }): ReviewThreadState {
    const pr = this.pull(fullName, number);
    if (init.author) this.state.ensureUser(init.author);
    const t: ReviewThreadState = { id: this.state.id(), path: init.path, line: init.line ?? 1, resolved: init.resolved ?? false, outdated: init.outdated ?? false, author: init.author === undefined ? pr.author : init.author, commentId: this.state.id() };
    pr.threads.push(t);
    return t;
  }

  issueComment(fullName: string, number: number, user: string, body: string, at?: string): IssueCommentState {
    const repo = this.state.mustRepo(fullName);
    this.state.ensureUser(user);
    const now = at ?? this.state.now();
    const comment = { id: this.state.id(), issueNumber: number, user, body, createdAt: now, updatedAt: now };
    repo.comments.push(comment);
    return comment;
  }

  status(fullName: string, sha: string, init: { context: string; state: StatusState['state']; description?: string | null; targetUrl?: string | null; creator?: string | null; createdAt?: string }): StatusState {
    const repo = this.state.mustRepo(fullName);
    repo.commits.add(sha);
    if (init.creator) this.state.ensureUser(init.creator);
    const status: StatusState = { id: this.state.id(), sha, context: init.context, state: init.state, description: init.description ?? null, targetUrl: init.targetUrl ?? null, creator: init.creator === undefined ? repo.owner : init.creator, createdAt: init.createdAt ?? this.state.now() };
    repo.statuses.push(status);
    return status;
  }

  /** The rules in force on branches matching `pattern` (a name, or a glob with `*`). */
  branchRules(fullName: string, pattern: string, rules: BranchRuleInit[]): this {
    const repo = this.state.mustRepo(fullName);
    const rulesetId = this.state.id();
    repo.branchRules.set(pattern, rules.map((r) => ({ ...r, rulesetId }) as BranchRuleState));
    return this;
  }

  /** Classic protection of a branch, as `PUT …/branches/{b}/protection` would set it. */
  protect(fullName: string, branch: string, protection: Partial<BranchProtectionState> = {}): this {
    this.state.mustRepo(fullName).protection.set(branch, { requiredApprovals: 1, codeOwnerReviews: false, enforceAdmins: false, requiredChecks: [], ...protection });
    return this;
  }

  checkRun(fullName: string, sha: string, init: { name: string; status?: CheckRunState['status']; conclusion?: string | null; app?: string | null; appId?: number | null }): CheckRunState {
    const repo = this.state.mustRepo(fullName);
    repo.commits.add(sha);
    const status = init.status ?? 'completed';
    const app = init.app === undefined ? 'github-actions' : init.app;
    const run: CheckRunState = { id: this.state.id(), sha, name: init.name, status, conclusion: init.conclusion === undefined ? (status === 'completed' ? 'success' : null) : init.conclusion, app, appId: init.appId ?? (app === 'github-actions' ? 15368 : app ? 1 : null) };
    repo.checkRuns.push(run);
    return run;
  }

  issue(fullName: string, init: { title: string; body?: string | null; user?: string; labels?: string[]; assignees?: string[]; state?: 'open' | 'closed'; createdAt?: string; closedAt?: string }): IssueState {
    const repo = this.state.mustRepo(fullName);
    const now = init.createdAt ?? this.state.now();
    const issue: IssueState = {
      number: repo.nextNumber++,
      id: this.state.id(),
      title: init.title,
      body: init.body ?? null,
      state: init.state ?? 'open',
      user: init.user ?? repo.owner,
      labels: init.labels ?? [],
      assignees: init.assignees ?? [],
      createdAt: now,
      updatedAt: now,
      closedAt: init.state === 'closed' ? (init.closedAt ?? now) : null,
    };
    for (const login of [issue.user, ...issue.assignees]) this.state.ensureUser(login);
    repo.issues.set(issue.number, issue);
    return issue;
  }

  org(login: string, members: string[] = []): this {
    const user = this.state.ensureUser(login, 'Organization');
    user.type = 'Organization';
    for (const m of members) this.state.ensureUser(m);
    const existing = this.state.org(login);
    if (existing) members.forEach((m) => existing.members.add(m));
    else this.state.orgs.set(login.toLowerCase(), { login, id: user.id, members: new Set(members), teams: new Map() });
    return this;
  }

  /** A team; `members` maps login → `active` or `pending` (an invitation not yet accepted). */
  team(org: string, slug: string, members: Record<string, 'active' | 'pending'> = {}, options: { privacy?: 'closed' | 'secret'; name?: string } = {}): this {
    if (!this.state.org(org)) this.org(org);
    const o = this.state.org(org)!;
    for (const [login, state] of Object.entries(members)) {
      this.state.ensureUser(login);
      if (state === 'active') o.members.add(login);
    }
    o.teams.set(slug.toLowerCase(), {
      id: this.state.id(),
      slug,
      name: options.name ?? slug,
      privacy: options.privacy ?? 'closed',
      members: new Map(Object.entries(members).map(([login, state]) => [login, { state, role: 'member' as const }])),
    });
    return this;
  }

  // ---- serving -----------------------------------------------------------------------------------

  private violation(v: Violation): void {
    this.violationList.push(v);
  }

  private takeFault(operationId: string | undefined): Fault | undefined {
    const index = this.pending.findIndex((p) => !p.operation || p.operation === operationId);
    if (index < 0) return undefined;
    const entry = this.pending[index];
    if (--entry.left <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const requestUrl = new URL(req.url ?? '/', this.url);
    const recorded: RecordedRequest = { method, path: requestUrl.pathname + requestUrl.search, status: 0 };
    this.requests.push(recorded);
    try {
      const raw = await readBody(req);
      const enterprise = requestUrl.pathname === '/api/v3' || requestUrl.pathname.startsWith('/api/v3/') || requestUrl.pathname === '/api/graphql';
      const urls: Urls = { api: enterprise ? `${this.url}/api/v3` : this.url, web: this.url };
      const pathname = enterprise && requestUrl.pathname.startsWith('/api/v3') ? requestUrl.pathname.slice('/api/v3'.length) || '/' : requestUrl.pathname;
      const body = parseBody(raw, req.headers['content-type']);
      const headerProblems = req.headers['user-agent'] ? [] : ['no User-Agent header: GitHub refuses such requests'];

      if (method === 'POST' && (requestUrl.pathname === '/graphql' || requestUrl.pathname === '/api/graphql')) {
        recorded.operationId = 'graphql';
        recorded.variables = ((body.value as { variables?: Record<string, unknown> } | undefined)?.variables ?? undefined);
        await this.serveGraphql(req, res, recorded, body, urls, headerProblems);
        return;
      }

      // The site itself, not its API (an OAuth device flow VS Code's sign-in tries first): the double is no site.
      if (!enterprise && /^\/(login|settings)\//.test(requestUrl.pathname)) {
        recorded.operationId = 'web';
        this.send(res, recorded, { status: 404, body: { message: 'Not Found' } }, undefined);
        return;
      }
      const match = findOperation(method, pathname);
      if (!match) {
        this.violation({ kind: 'route', method, path: recorded.path, problems: [`GitHub has no ${method} ${pathname}`] });
        this.send(res, recorded, { status: 404, body: { message: 'Not Found', documentation_url: ERROR_DOCS, status: '404' } }, undefined);
        return;
      }
      const { operation, params } = match;
      recorded.operationId = operation.operationId;
      const problems = [...headerProblems, ...checkRequest(operation, params, requestUrl.searchParams, body)];
      if (problems.length) {
        this.violation({ kind: 'request', method, path: recorded.path, operationId: operation.operationId, problems });
        this.send(res, recorded, { status: 400, body: { message: `Invalid request.\n\n${problems.join('\n')}`, documentation_url: ERROR_DOCS, status: '400' } }, undefined);
        return;
      }

      const auth = this.authenticate(req);
      if (auth === 'refused') {
        this.send(res, recorded, { status: 401, body: { message: 'Bad credentials', documentation_url: ERROR_DOCS, status: '401' } }, undefined);
        return;
      }
      const route = routes[operation.operationId];
      if (this.applyFault(operation.operationId, req, res, recorded, auth, route?.scopes ?? [], (status, sent) => checkResponse(operation, status, sent))) return;
      if (!route) {
        this.violation({ kind: 'unimplemented', method, path: recorded.path, operationId: operation.operationId, problems: [`the GitHub double does not answer ${operation.operationId} yet`] });
        this.send(res, recorded, { status: 404, body: { message: `Not Found (the GitHub double does not answer ${operation.operationId})`, documentation_url: ERROR_DOCS, status: '404' } }, auth);
        return;
      }
      let reply: Reply;
      try {
        reply = route.handle({ state: this.state, params, query: requestUrl.searchParams, body: body.value, auth, urls, requestUrl });
      } catch (err) {
        if (!(err instanceof GitHubHttpError)) throw err;
        reply = { status: err.status, body: err.body(), headers: err.extra.headers };
      }
      const served = checkResponse(operation, reply.status, reply.body);
      if (served.length) this.violation({ kind: 'response', method, path: recorded.path, operationId: operation.operationId, status: reply.status, problems: served });
      this.send(res, recorded, { ...reply, headers: { 'x-accepted-oauth-scopes': route.scopes.join(', '), ...reply.headers } }, auth);
    } catch (err) {
      this.violation({ kind: 'double', method, path: recorded.path, operationId: recorded.operationId, problems: [`the GitHub double failed: ${(err as Error).stack ?? String(err)}`] });
      if (!res.headersSent) this.send(res, recorded, { status: 500, body: { message: 'Server Error (the GitHub double failed)', documentation_url: ERROR_DOCS } }, undefined);
    }
  }

  private async serveGraphql(req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest, body: ParsedBody, urls: Urls, headerProblems: string[]): Promise<void> {
    if (headerProblems.length || body.parseError) {
      this.violation({ kind: 'request', method: 'POST', path: recorded.path, operationId: 'graphql', problems: [...headerProblems, ...(body.parseError ? [`body is not JSON: ${body.parseError}`] : [])] });
      this.send(res, recorded, { status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' } }, undefined, 'graphql');
      return;
    }
    const auth = this.authenticate(req);
    if (auth === 'refused' || auth === undefined) {
      const message = auth === undefined ? 'This endpoint requires you to be authenticated.' : 'Bad credentials';
      this.send(res, recorded, { status: 401, body: { message, documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql' } }, undefined, 'graphql');
      return;
    }
    if (this.applyFault('graphql', req, res, recorded, auth, [], () => [])) return;
    const answer = await answerGraphql(this.state, auth, body.value, urls);
    if (answer.problems.length) this.violation({ kind: 'request', method: 'POST', path: recorded.path, operationId: 'graphql', problems: answer.problems });
    this.send(res, recorded, { status: 200, body: answer.body as Reply['body'] }, auth, 'graphql');
  }

  /** Answers with a pending fault, if one applies; true when it did. */
  private applyFault(operationId: string, req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest, auth: Auth | undefined, scopes: string[], check: (status: number, body: unknown) => string[]): boolean {
    const fault = this.takeFault(operationId);
    if (!fault) return false;
    if (fault.kind === 'hang') {
      recorded.status = 'hang';
      return true;
    }
    if (fault.kind === 'drop') {
      recorded.status = 'drop';
      req.socket.destroy();
      return true;
    }
    // An injected body is checked like any other: a test cannot inject what GitHub never sends.
    if (typeof fault.body !== 'string') {
      const problems = check(fault.status, fault.body);
      if (problems.length) this.violation({ kind: 'response', method: recorded.method, path: recorded.path, operationId, status: fault.status, problems });
    }
    this.send(res, recorded, { status: fault.status, body: fault.body as Reply['body'], headers: { ...(scopes.length ? { 'x-accepted-oauth-scopes': scopes.join(', ') } : {}), ...fault.headers } }, auth, operationId === 'graphql' ? 'graphql' : 'core');
    return true;
  }

  /** The token's account; undefined without a token; `refused` for a token GitHub does not know. */
  private authenticate(req: IncomingMessage): Auth | undefined | 'refused' {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    const token = m ? this.state.tokens.get(m[1]) : undefined;
    if (!token) return 'refused';
    return { token, user: this.state.ensureUser(token.login) };
  }

  private send(res: ServerResponse, recorded: RecordedRequest, reply: Reply, auth: Auth | undefined, resource: 'core' | 'graphql' = 'core'): void {
    recorded.status = reply.status;
    const key = auth?.token.token ?? 'anonymous';
    const used = (this.used.get(key) ?? 0) + 1;
    this.used.set(key, used);
    const limit = auth ? 5000 : 60;
    const headers: Record<string, string> = {
      'content-type': typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(this.rateLimitReset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': resource,
      'x-content-type-options': 'nosniff',
      ...(auth?.token.scopes ? { 'x-oauth-scopes': auth.token.scopes.join(', ') } : {}),
      ...reply.headers,
    };
    const payload = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
    res.end(payload);
  }
}

export function startGitHubDouble(): Promise<GitHubDouble> {
  return GitHubDouble.start();
}

interface ParsedBody {
  present: boolean;
  value?: unknown;
  parseError?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (!raw.length) return { present: false };
  if (contentType && !/^application\/json\b/i.test(contentType) && !/^text\/plain\b/i.test(contentType)) return { present: true, parseError: `content-type ${contentType} is not JSON` };
  try {
    return { present: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (err) {
    return { present: true, parseError: (err as Error).message };
  }
}
