// The one GitHub client: the engine's GitHub port over octokit, for github.com and GitHub
// Enterprise Server. It pages every list, retries what may safely be retried (with backoff and
// jitter, within bounds), and turns every failure into a ChangeControlError whose message says
// what to do. The token never appears in a message or a log line.
//
// octokit is ESM-only: the bundles (esbuild) convert it, and the tsc build in out/ loads it with
// Node's require(esm) (Node 20.19 and later). Doors load this module only when sign-off, the gate
// or the audit needs GitHub, so an assessment never pays for octokit.
import { Octokit } from '@octokit/rest';
import { ChangeControlError } from '../../core/errors';
import type {
  BranchConfiguration,
  CheckRunSummary,
  CommitStatus,
  CommitStatusState,
  GitHubAccount,
  GitHubRepo,
  IssueComment,
  IssueSummary,
  NewCommitStatus,
  NewIssue,
  PullRequestSummary,
  RepositoryPermission,
  RequiredCheck,
  ReviewRecord,
  ReviewState,
  ReviewThreadRecord,
  TeamMembership,
} from '../../core/github/facts';
import { silentLog, type GitHub, type Log } from '../../core/ports';

export const GITHUB_API_URL = 'https://api.github.com';

export interface GitHubClientOptions {
  token: string;
  /** The REST root: `https://api.github.com` (default), or `https://HOST/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string;
  /** The GraphQL endpoint; derived from baseUrl when absent (`…/api/v3` → `…/api/graphql`). */
  graphqlUrl?: string;
  userAgent?: string;
  /** Retries after the first try, for 5xx, timeouts, lost connections and short secondary limits (default 3). */
  retries?: number;
  /** How long one request may take (default 30 s). */
  timeoutMs?: number;
  /** How retries wait; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
  /** For the rate limit's reset time in messages. */
  now?: () => Date;
  log?: Log;
  /**
   * Wait for a spent primary rate limit to reset (saying so in the log) instead of failing, when it
   * resets within an hour: for the long reads of an audit or a calendar, not for a person waiting.
   */
  waitOnRateLimit?: boolean;
}

/** The API roots by the Actions convention: GITHUB_API_URL and GITHUB_GRAPHQL_URL, else github.com. */
export function githubEndpoints(env: NodeJS.ProcessEnv = process.env): { baseUrl: string; graphqlUrl?: string } {
  return { baseUrl: env.GITHUB_API_URL || GITHUB_API_URL, ...(env.GITHUB_GRAPHQL_URL ? { graphqlUrl: env.GITHUB_GRAPHQL_URL } : {}) };
}

/** `…/api/v3` → `…/api/graphql` (Enterprise Server); any other root → `{root}/graphql`. */
export function graphqlUrlFor(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(root) ? root.replace(/\/api\/v3$/, '/api/graphql') : `${root}/graphql`;
}

/** Secondary rate limits with a Retry-After longer than this are reported, not waited out. */
const MAX_RETRY_AFTER_S = 60;
const BACKOFF_BASE_MS = 500;
/** A limit that is still spent after its reset this many times is reported, not waited for again. */
const MAX_RATE_LIMIT_WAITS = 3;
const BACKOFF_MAX_MS = 8000;
/** Bounds the GraphQL page loop (100 threads a page) against a server that never ends a list. */
const MAX_GRAPHQL_PAGES = 200;

export function createGitHub(options: GitHubClientOptions): GitHub {
  if (!options.token) throw new ChangeControlError('GITHUB_NO_TOKEN', 'No GitHub token: sign in to GitHub, or set GITHUB_TOKEN (or GH_TOKEN).');
  return new GitHubClient(options);
}

/** What a call was doing, for its error messages. */
interface Action {
  /** Infinitive phrase: `read pull request #12 of acme/app`. */
  doing: string;
  /** The whole GITHUB_NOT_FOUND sentence, when 404 means something more precise than "not there". */
  notFound?: string;
  /** True for a write that is not retried after a 5xx or a timeout: it may have happened. */
  unsure?: string;
}

interface HttpError {
  status: number;
  message: string;
  response?: { status: number; headers: Record<string, string | undefined>; data: unknown };
  request?: { method?: string; url?: string };
  cause?: unknown;
  attempts?: number;
}

interface GraphqlError {
  name: 'GraphqlResponseError';
  errors: { type?: string; message: string }[];
}

const REVIEW_THREADS_QUERY = `
  query ReviewThreads($owner: String!, $name: String!, $number: Int!, $cursor: String) {
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        reviewThreads(first: 100, after: $cursor) {
          nodes {
            isResolved
            isOutdated
            path
            line
            comments(first: 1) { nodes { author { login } url } }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`;

interface ReviewThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        nodes: ({ isResolved: boolean; isOutdated: boolean; path: string; line: number | null; comments: { nodes: ({ author: { login: string } | null; url: string } | null)[] } } | null)[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } | null;
  } | null;
}

const ROLES: readonly RepositoryPermission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

class GitHubClient implements GitHub {
  private readonly octokit: Octokit;
  private readonly graphqlUrl: string;
  private readonly host: string;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;
  private readonly log: Log;
  private readonly token: string;
  private readonly waitOnRateLimit: boolean;

  constructor(options: GitHubClientOptions) {
    const baseUrl = (options.baseUrl || GITHUB_API_URL).replace(/\/+$/, '');
    this.token = options.token;
    this.graphqlUrl = options.graphqlUrl || graphqlUrlFor(baseUrl);
    this.host = new URL(baseUrl).host;
    this.retries = Math.max(0, options.retries ?? 3);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => new Date());
    this.waitOnRateLimit = options.waitOnRateLimit ?? false;
    this.log = options.log ?? silentLog;
    const log = this.log;
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl,
      userAgent: options.userAgent ?? 'change-control',
      // octokit's debug line is the whole request, headers and token included: never passed on.
      log: {
        debug: () => {},
        info: (message: string) => log.debug(this.redact(`GitHub: ${message}`)),
        warn: (message: string) => log.warn(this.redact(`GitHub: ${message}`)),
        error: (message: string) => log.debug(this.redact(`GitHub: ${message}`)),
      },
    });
    this.octokit.hook.wrap('request', (request, requestOptions) => this.withRetries(request, requestOptions));
  }

  // ---- the port --------------------------------------------------------------------------------

  async account(): Promise<GitHubAccount> {
    const { data } = await this.call({ doing: 'tell whose token this is' }, () => this.octokit.rest.users.getAuthenticated());
    return { login: data.login, type: data.type };
  }

  async hasCommit(repo: GitHubRepo, sha: string): Promise<boolean> {
    try {
      await this.call({ doing: `look up commit ${short(sha)} in ${full(repo)}` }, () => this.octokit.rest.repos.getCommit({ owner: repo.owner, repo: repo.name, ref: sha, per_page: 1 }), { raw: [404, 422] });
      return true;
    } catch (err) {
      if (isHttpError(err) && (err.status === 404 || err.status === 422)) return false;
      throw err;
    }
  }

  async openPullRequests(repo: GitHubRepo, branch: string, headOwner: string = repo.owner): Promise<PullRequestSummary[]> {
    const pulls = await this.call({ doing: `list the open pull requests of ${headOwner}:${branch} in ${full(repo)}` }, () =>
      this.octokit.paginate(this.octokit.rest.pulls.list, { owner: repo.owner, repo: repo.name, head: `${headOwner}:${branch}`, state: 'open', per_page: 100 }),
    );
    return pulls.map((p) => pullRequestSummary(p, p.merged_at !== null));
  }

  async *mergedPullRequests(repo: GitHubRepo, base: string, since: Date): AsyncIterable<PullRequestSummary> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.pulls.list, { owner: repo.owner, repo: repo.name, base, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100 });
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.call({ doing: `list the closed pull requests into ${base} of ${full(repo)}` }, () => iterator.next());
      if (page.done) return;
      for (const p of page.value.data) {
        if (Date.parse(p.updated_at) < since.getTime()) return;
        if (p.merged_at) yield pullRequestSummary(p, true);
      }
    }
  }

  async pullRequest(repo: GitHubRepo, number: number): Promise<PullRequestSummary> {
    const { data } = await this.call({ doing: `read pull request #${number} of ${full(repo)}`, notFound: `Pull request #${number} of ${full(repo)} was not found, or the token cannot see the repository: check the number and the token's access.` }, () =>
      this.octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: number }),
    );
    return pullRequestSummary(data, data.merged);
  }

  async reviews(repo: GitHubRepo, number: number): Promise<ReviewRecord[]> {
    const reviews = await this.call({ doing: `list the reviews of pull request #${number} of ${full(repo)}`, notFound: pullNotFound(repo, number) }, () =>
      this.octokit.paginate(this.octokit.rest.pulls.listReviews, { owner: repo.owner, repo: repo.name, pull_number: number, per_page: 100 }),
    );
    // A pending review is a draft its author has not submitted: it is no opinion yet.
    return reviews
      .filter((r) => r.state !== 'PENDING' && r.submitted_at)
      .map((r) => ({ id: r.id, reviewer: r.user?.login ?? 'ghost', state: r.state as ReviewState, commit: r.commit_id ?? '', submittedAt: r.submitted_at!, url: r.html_url }));
  }

  async reviewThreads(repo: GitHubRepo, number: number): Promise<ReviewThreadRecord[]> {
    const action: Action = { doing: `read the review threads of pull request #${number} of ${full(repo)}`, notFound: pullNotFound(repo, number) };
    const threads: ReviewThreadRecord[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_GRAPHQL_PAGES; page++) {
      const data: ReviewThreadsPage = await this.call(action, () => this.graphql<ReviewThreadsPage>(REVIEW_THREADS_QUERY, { owner: repo.owner, name: repo.name, number, cursor }));
      const connection = data.repository?.pullRequest?.reviewThreads;
      if (!connection) throw new ChangeControlError('GITHUB_NOT_FOUND', pullNotFound(repo, number));
      for (const t of connection.nodes) {
        if (!t) continue;
        const first = t.comments.nodes[0];
        threads.push({ path: t.path, line: t.line, url: first?.url ?? '', resolved: t.isResolved, outdated: t.isOutdated, author: first?.author?.login ?? 'ghost' });
      }
      if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor || connection.pageInfo.endCursor === cursor) return threads;
      cursor = connection.pageInfo.endCursor;
    }
    throw new ChangeControlError('GITHUB_UNAVAILABLE', `GitHub kept paging the review threads of pull request #${number} of ${full(repo)} past ${MAX_GRAPHQL_PAGES * 100}: try again later.`);
  }

  async permission(repo: GitHubRepo, user: string): Promise<RepositoryPermission> {
    const { data } = await this.call(
      { doing: `read ${user}'s role on ${full(repo)}`, notFound: `GitHub has no user ${user} or no repository ${full(repo)} that the token can see: check both names and the token's access.` },
      () => this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.name, username: user }),
    );
    // role_name names the role itself (maintain, triage); permission only the four classic levels,
    // and a custom role's name is none of ours, so it counts for its classic level.
    const role = ROLES.find((r) => r === data.role_name) ?? ROLES.find((r) => r === data.permission);
    return role ?? 'none';
  }

  async teamMembership(org: string, slug: string, user: string): Promise<TeamMembership> {
    // GitHub answers 404 alike for "no such member" and "this token may not look": ask for the
    // team first, so that a token that cannot see it says unknown rather than not-member.
    try {
      await this.call({ doing: `read team ${org}/${slug}` }, () => this.octokit.rest.teams.getByName({ org, team_slug: slug }), { raw: [404] });
    } catch (err) {
      if (isHttpError(err) && err.status === 404) return 'unknown';
      throw err;
    }
    try {
      const { data } = await this.call({ doing: `read ${user}'s membership of team ${org}/${slug}` }, () => this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: user }), { raw: [404] });
      // A pending membership is an invitation not yet accepted: not a member yet.
      return data.state === 'active' ? 'member' : 'not-member';
    } catch (err) {
      if (isHttpError(err) && err.status === 404) return 'not-member';
      throw err;
    }
  }

  async issueComments(repo: GitHubRepo, number: number): Promise<IssueComment[]> {
    const comments = await this.call({ doing: `list the comments of #${number} of ${full(repo)}`, notFound: `#${number} of ${full(repo)} was not found, or the token cannot see the repository: check the number and the token's access.` }, () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: repo.owner, repo: repo.name, issue_number: number, per_page: 100 }),
    );
    return comments.map(issueComment);
  }

  async createIssueComment(repo: GitHubRepo, number: number, body: string): Promise<IssueComment> {
    const { data } = await this.call(
      { doing: `comment on #${number} of ${full(repo)}`, notFound: `#${number} of ${full(repo)} was not found, or the token cannot see the repository: check the number and the token's access.`, unsure: 'the comment may have been posted: look at the pull request before trying again' },
      () => this.octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: number, body }),
    );
    return issueComment(data);
  }

  async updateIssueComment(repo: GitHubRepo, commentId: number, body: string): Promise<IssueComment> {
    const { data } = await this.call({ doing: `edit comment ${commentId} of ${full(repo)}`, notFound: `Comment ${commentId} of ${full(repo)} was not found (deleted?), or the token cannot see the repository.` }, () =>
      this.octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.name, comment_id: commentId, body }),
    );
    return issueComment(data);
  }

  async statuses(repo: GitHubRepo, sha: string): Promise<CommitStatus[]> {
    const statuses = await this.call({ doing: `list the statuses of commit ${short(sha)} in ${full(repo)}` }, () =>
      this.octokit.paginate(this.octokit.rest.repos.listCommitStatusesForRef, { owner: repo.owner, repo: repo.name, ref: sha, per_page: 100 }),
    );
    return statuses.map(commitStatus);
  }

  async createStatus(repo: GitHubRepo, sha: string, status: NewCommitStatus): Promise<CommitStatus> {
    const { data } = await this.call({ doing: `set status ${status.context} on commit ${short(sha)} in ${full(repo)}`, notFound: commitNotPushed(repo, sha) }, () =>
      this.octokit.rest.repos.createCommitStatus({ owner: repo.owner, repo: repo.name, sha, state: status.state, context: status.context, description: status.description, ...(status.targetUrl ? { target_url: status.targetUrl } : {}) }),
    );
    return commitStatus(data);
  }

  async requiredChecks(repo: GitHubRepo, branch: string): Promise<RequiredCheck[]> {
    let rules: { type: string; parameters?: unknown }[];
    try {
      rules = await this.call({ doing: `read the rules of branch ${branch} in ${full(repo)}` }, () => this.octokit.paginate(this.octokit.rest.repos.getBranchRules, { owner: repo.owner, repo: repo.name, branch, per_page: 100 }), { raw: [404] });
    } catch (err) {
      if (isHttpError(err) && err.status === 404) return [];
      throw err;
    }
    const checks = new Map<string, RequiredCheck>();
    for (const rule of rules) {
      if (rule.type !== 'required_status_checks') continue;
      const parameters = rule.parameters as { required_status_checks?: { context: string; integration_id?: number }[] } | undefined;
      for (const c of parameters?.required_status_checks ?? []) {
        const check = { context: c.context, integrationId: c.integration_id ?? null };
        checks.set(`${check.context}\u0000${check.integrationId}`, check);
      }
    }
    return [...checks.values()];
  }

  async branchConfiguration(repo: GitHubRepo, branch: string): Promise<BranchConfiguration> {
    const unreadable = (err: unknown): string => {
      if (isHttpError(err) && err.response) return `GitHub answered ${err.status} ${messageOf(err.response.data) || ''}`.trim() + (err.status === 404 || err.status === 403 ? ' (reading it needs admin access to the repository)' : '');
      throw err;
    };
    let rules: BranchConfiguration['rules'];
    try {
      const list = await this.call({ doing: `read the rules of branch ${branch} in ${full(repo)}` }, () => this.octokit.paginate(this.octokit.rest.repos.getBranchRules, { owner: repo.owner, repo: repo.name, branch, per_page: 100 }), { raw: [403, 404] });
      rules = list.map((r) => ({ type: r.type, rulesetId: r.ruleset_id ?? null, parameters: 'parameters' in r ? r.parameters : null }));
    } catch (err) {
      rules = { unreadable: unreadable(err) };
    }
    let protection: BranchConfiguration['protection'];
    try {
      const { data } = await this.call({ doing: `read the protection of branch ${branch} in ${full(repo)}` }, () => this.octokit.rest.repos.getBranchProtection({ owner: repo.owner, repo: repo.name, branch }), { raw: [403, 404] });
      protection = { state: 'protected', settings: data };
    } catch (err) {
      protection = isHttpError(err) && err.status === 404 && /not protected/i.test(messageOf(err.response?.data)) ? { state: 'not-protected' } : { state: 'unreadable', why: unreadable(err) };
    }
    return { rules, protection };
  }

  async checkRuns(repo: GitHubRepo, sha: string, name: string): Promise<CheckRunSummary[]> {
    const runs = await this.call({ doing: `list the ${name} check runs of commit ${short(sha)} in ${full(repo)}`, notFound: commitNotPushed(repo, sha) }, () =>
      this.octokit.paginate(this.octokit.rest.checks.listForRef, { owner: repo.owner, repo: repo.name, ref: sha, check_name: name, per_page: 100 }),
    );
    return runs.map((r) => ({ name: r.name, status: r.status, conclusion: r.conclusion, app: r.app?.slug ?? null }));
  }

  async issuesWithLabel(repo: GitHubRepo, label: string): Promise<IssueSummary[]> {
    const issues = await this.call({ doing: `list the issues labelled ${label} in ${full(repo)}` }, () =>
      this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: repo.owner, repo: repo.name, labels: label, state: 'all', per_page: 100 }),
    );
    // The issues list holds pull requests too; they carry a pull_request key.
    return issues.filter((i) => !i.pull_request).map(issueSummary);
  }

  async createIssue(repo: GitHubRepo, issue: NewIssue): Promise<IssueSummary> {
    const { data } = await this.call({ doing: `open an issue in ${full(repo)}`, unsure: 'the issue may have been opened: look before trying again' }, () =>
      this.octokit.rest.issues.create({ owner: repo.owner, repo: repo.name, title: issue.title, body: issue.body, ...(issue.assignees ? { assignees: issue.assignees } : {}), ...(issue.labels ? { labels: issue.labels } : {}) }),
    );
    return issueSummary(data);
  }

  /**
   * One GraphQL query, POSTed to graphqlUrl itself: octokit's graphql() would put any `/api/v3`
   * root's own `/api/graphql` in place of an explicit GITHUB_GRAPHQL_URL.
   */
  private async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.octokit.request(`POST ${this.graphqlUrl}`, { query, variables });
    const body = response.data as { data?: T; errors?: { type?: string; message: string }[] };
    if (body.errors?.length) throw Object.assign(new Error(body.errors[0].message), { name: 'GraphqlResponseError', errors: body.errors });
    return body.data as T;
  }

  // ---- retries ---------------------------------------------------------------------------------

  /**
   * One request, tried again after a 5xx, a timeout or a lost connection (up to `retries` more
   * times, waiting 0.5 s, 1 s, 2 s … with jitter), and after a secondary rate limit whose
   * Retry-After is short. A write that creates something a person sees (a comment, an issue) is
   * not sent twice unless the first try surely never arrived: GitHub may have made it already.
   */
  private async withRetries<O extends { method?: string; url?: string; request?: object }, T>(request: (options: O) => T | Promise<T>, options: O): Promise<T> {
    const method = (options.method ?? 'GET').toUpperCase();
    const route = options.url ?? '';
    const repeatable = method !== 'POST' || route.endsWith('/graphql') || /\/statuses\/\{sha\}$/.test(route);
    let rateWaits = 0;
    for (let attempt = 1; ; attempt++) {
      // before-after-hook binds the inner hooks to this very options object: a new signal must be
      // set on it, not on a copy, or the request never sees it.
      options.request = { ...options.request, signal: AbortSignal.timeout(this.timeoutMs) };
      try {
        return await request(options);
      } catch (err) {
        if (isHttpError(err)) err.attempts = attempt;
        const reset = this.rateLimitWait(err);
        if (reset !== undefined && rateWaits++ < MAX_RATE_LIMIT_WAITS) {
          this.log.warn(`GitHub's API rate limit for this token is spent: waiting until it resets at ${localTime(new Date(this.now().getTime() + reset))} (${Math.ceil(reset / 1000)} s), then going on.`);
          await this.sleep(reset);
          attempt--;
          continue;
        }
        const wait = this.retryDelay(err, attempt, repeatable);
        if (wait === undefined || attempt > this.retries) throw err;
        this.log.warn(this.redact(`GitHub: ${method} ${route} failed (${reason(err, this.timeoutMs)}); trying again in ${Math.round(wait)} ms (retry ${attempt} of ${this.retries}).`));
        await this.sleep(wait);
      }
    }
  }

  /** With waitOnRateLimit: how long until a spent primary rate limit resets, when that is within the hour. */
  private rateLimitWait(err: unknown): number | undefined {
    if (!this.waitOnRateLimit || !isHttpError(err) || !err.response) return undefined;
    const { status, headers } = err.response;
    if ((status !== 403 && status !== 429) || headers['x-ratelimit-remaining'] !== '0') return undefined;
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    if (!Number.isFinite(reset)) return undefined;
    const wait = Math.max(0, reset - this.now().getTime()) + 1000;
    return wait <= 3_600_000 + 1000 ? wait : undefined;
  }

  /** How long to wait before trying again, or undefined when trying again would not help. */
  private retryDelay(err: unknown, attempt: number, repeatable: boolean): number | undefined {
    if (!isHttpError(err)) return undefined;
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    if (!err.response) {
      // No answer: a timeout, a dropped connection, or no connection at all.
      return repeatable || neverConnected(err) ? backoff : undefined;
    }
    const { status, headers } = err.response;
    if (status >= 500) return repeatable ? backoff : undefined;
    if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] !== '0') {
      const retryAfter = Number(headers['retry-after']);
      if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter <= MAX_RETRY_AFTER_S) return Math.max(0, retryAfter) * 1000;
    }
    return undefined;
  }

  // ---- faults → ChangeControlError --------------------------------------------------------------

  /** Runs one port call; `raw` statuses are rethrown as they are, for the caller to answer. */
  private async call<T>(action: Action, fn: () => Promise<T>, options: { raw?: number[] } = {}): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isHttpError(err) && err.response && options.raw?.includes(err.status)) throw err;
      throw this.translate(err, action);
    }
  }

  private translate(err: unknown, action: Action): ChangeControlError {
    const error = (code: ConstructorParameters<typeof ChangeControlError>[0], message: string) => new ChangeControlError(code, this.redact(message));
    if (err instanceof ChangeControlError) return err;
    if (isGraphqlError(err)) {
      const first = err.errors[0];
      const type = first?.type ?? '';
      if (type === 'NOT_FOUND') return error('GITHUB_NOT_FOUND', action.notFound ?? `GitHub could not ${action.doing}: ${first.message}`);
      if (type === 'RATE_LIMITED') return error('GITHUB_RATE_LIMITED', `GitHub's GraphQL rate limit for this token is spent, so it would not ${action.doing}: wait an hour at most, then try again.`);
      if (type === 'FORBIDDEN' || type === 'INSUFFICIENT_SCOPES') return error('GITHUB_FORBIDDEN', `GitHub refused to ${action.doing}: ${first.message}`);
      return error('GITHUB_REFUSED', `GitHub refused to ${action.doing}: ${err.errors.map((e) => e.message).join('; ')}`);
    }
    if (!isHttpError(err)) return error('GITHUB_UNAVAILABLE', `Could not ${action.doing} on ${this.host}: ${err instanceof Error ? err.message : String(err)}`);

    const tries = err.attempts ?? 1;
    if (!err.response) {
      return error('GITHUB_UNAVAILABLE', `${this.host} did not answer when asked to ${action.doing} (${reason(err, this.timeoutMs)}${tries > 1 ? `, ${tries} tries` : ''}): ${action.unsure && !neverConnected(err) ? `${action.unsure}; ` : ''}check the network connection, then try again.`);
    }
    const { status, headers, data } = err.response;
    const gitHubMessage = messageOf(data);
    if (status === 401) return error('GITHUB_AUTH', `GitHub refused the token (401 ${gitHubMessage || 'Bad credentials'}) when asked to ${action.doing}: sign in to GitHub again, or set a new GITHUB_TOKEN.`);
    if ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0') return error('GITHUB_RATE_LIMITED', this.primaryLimitMessage(action, headers['x-ratelimit-reset']));
    if ((status === 403 || status === 429) && (headers['retry-after'] !== undefined || /secondary rate limit/i.test(gitHubMessage))) {
      const after = Number(headers['retry-after']);
      const wait = Number.isFinite(after) && after > 0 ? (after >= 120 ? `${Math.ceil(after / 60)} minutes` : `${after} seconds`) : 'a minute or two';
      return error('GITHUB_RATE_LIMITED', `GitHub's secondary rate limit stopped the request to ${action.doing}${tries > 1 ? ` after ${tries} tries` : ''}: wait ${wait}, then try again.`);
    }
    if (status === 403) return error('GITHUB_FORBIDDEN', this.forbiddenMessage(action, headers, gitHubMessage));
    if (status === 404) return error('GITHUB_NOT_FOUND', this.notFoundMessage(action, headers));
    if (status === 422) {
      if (/no commit found/i.test(gitHubMessage) && action.notFound) return error('GITHUB_NOT_FOUND', action.notFound);
      return error('GITHUB_REFUSED', `GitHub refused to ${action.doing}: ${validationDetail(data) || gitHubMessage || 'Validation Failed'}.`);
    }
    if (status >= 500) {
      return error('GITHUB_UNAVAILABLE', `${this.host} failed when asked to ${action.doing} (${status}${tries > 1 ? `, ${tries} tries` : ''}): ${action.unsure ? `${action.unsure}; ` : ''}try again later${this.host === 'api.github.com' ? ' (www.githubstatus.com tells whether GitHub is down)' : ''}.`);
    }
    return error('GITHUB_REFUSED', `GitHub refused to ${action.doing} (${status}${gitHubMessage ? ` ${gitHubMessage}` : ''}).`);
  }

  private primaryLimitMessage(action: Action, reset: string | undefined): string {
    const at = Number(reset);
    if (!Number.isFinite(at) || at <= 0) return `GitHub's API rate limit for this token is spent, so it would not ${action.doing}: try again within the hour.`;
    const when = new Date(at * 1000);
    const minutes = Math.max(1, Math.ceil((when.getTime() - this.now().getTime()) / 60_000));
    return `GitHub's API rate limit for this token is spent, so it would not ${action.doing}: it resets at ${localTime(when)} (in ${minutes} minute${minutes === 1 ? '' : 's'}); try again then.`;
  }

  private forbiddenMessage(action: Action, headers: Record<string, string | undefined>, gitHubMessage: string): string {
    const sso = headers['x-github-sso'];
    if (sso) {
      const url = /url=(\S+)/.exec(sso)?.[1];
      return `GitHub refused to ${action.doing}: the organisation uses SAML single sign-on and the token is not authorised for it; ${url ? `authorise it at ${url}` : 'authorise the token for the organisation (GitHub settings → Tokens → Configure SSO)'}, then try again.`;
    }
    const permissions = headers['x-accepted-github-permissions'];
    if (permissions) {
      const needed = permissions.split(/;\s*/).map((set) => set.split(/,\s*/).map((p) => p.replace('=', ': ')).join(' and ')).join(' or ');
      return `GitHub refused to ${action.doing}: the token lacks the permission ${needed}; give it that permission, or use a token that has it.`;
    }
    const missing = missingScopes(headers);
    if (missing) return `GitHub refused to ${action.doing}: the token lacks the scope ${missing.accepted.join(' or ')}${missing.has.length ? ` (it has ${missing.has.join(', ')})` : ''}; use a token with that scope (gh auth refresh -s ${missing.accepted[0]}).`;
    if (/by integration/i.test(gitHubMessage)) return `GitHub refused to ${action.doing}: the token is an app's (such as Actions' GITHUB_TOKEN), which may not do this; use a person's token.`;
    return `GitHub refused to ${action.doing} (403${gitHubMessage ? ` ${gitHubMessage}` : ''}): check that your account has access to it and the token the permission.`;
  }

  private notFoundMessage(action: Action, headers: Record<string, string | undefined>): string {
    const missing = missingScopes(headers);
    const hint = missing ? ` The token lacks the scope ${missing.accepted.join(' or ')}: use a token with it.` : '';
    return `${action.notFound ?? `GitHub found nothing when asked to ${action.doing}: the repository or the item is not there, or the token cannot see it; check the names and the token's access.`}${hint}`;
  }

  /** Messages never hold the token; this keeps it so should one ever quote a request. */
  private redact(text: string): string {
    return this.token.length >= 8 ? text.split(this.token).join('[token]') : text;
  }
}

// ---- helpers ------------------------------------------------------------------------------------

function full(repo: GitHubRepo): string {
  return `${repo.owner}/${repo.name}`;
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

function pullNotFound(repo: GitHubRepo, number: number): string {
  return `Pull request #${number} of ${full(repo)} was not found, or the token cannot see the repository: check the number and the token's access.`;
}

function commitNotPushed(repo: GitHubRepo, sha: string): string {
  return `Commit ${short(sha)} is not on GitHub (${full(repo)}): push it first, then try again.`;
}

function localTime(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function isHttpError(err: unknown): err is HttpError {
  return err instanceof Error && typeof (err as Partial<HttpError>).status === 'number';
}

function isGraphqlError(err: unknown): err is GraphqlError & Error {
  return err instanceof Error && err.name === 'GraphqlResponseError' && Array.isArray((err as Partial<GraphqlError>).errors);
}

/** The innermost cause of a failed fetch: undici puts the socket's error two levels down. */
function rootCause(err: unknown): { name?: string; code?: string; message?: string } {
  let current = err as { cause?: unknown } | undefined;
  for (let i = 0; i < 5 && current && typeof current === 'object' && current.cause; i++) current = current.cause as { cause?: unknown };
  return (current ?? {}) as { name?: string; code?: string; message?: string };
}

/** True when the request surely never reached GitHub: sending it again cannot make a duplicate. */
function neverConnected(err: unknown): boolean {
  const code = rootCause(err).code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function reason(err: unknown, timeoutMs: number): string {
  if (!isHttpError(err)) return String(err);
  if (err.response) return `HTTP ${err.status}`;
  const cause = rootCause(err);
  if (cause.name === 'TimeoutError' || cause.name === 'AbortError' || (err as unknown as Error).name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  if (cause.code === 'ECONNREFUSED') return 'connection refused';
  if (cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN') return 'host not found';
  return `connection lost: ${cause.message ?? err.message}`;
}

function messageOf(data: unknown): string {
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') return (data as { message: string }).message;
  return '';
}

/** GitHub's own words for a 422: each error's message, or its field and code. */
function validationDetail(data: unknown): string {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || !errors.length) return '';
  return errors
    .map((e: unknown) => {
      if (typeof e === 'string') return e;
      const item = e as { message?: string; field?: string; code?: string; value?: unknown };
      return item.message ?? [item.field, item.code === 'invalid' ? 'is invalid' : item.code, item.value !== undefined ? `(${JSON.stringify(item.value)})` : ''].filter(Boolean).join(' ');
    })
    .join('; ');
}

/** The scopes the operation accepts when the classic token has none of them. */
function missingScopes(headers: Record<string, string | undefined>): { accepted: string[]; has: string[] } | undefined {
  const split = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const accepted = split(headers['x-accepted-oauth-scopes']);
  if (!accepted.length || headers['x-oauth-scopes'] === undefined) return undefined;
  const has = split(headers['x-oauth-scopes']);
  // `repo` includes `repo:status` and `public_repo`; `admin:org` and `write:org` include `read:org`.
  const implied = new Set(has.flatMap((s) => (s === 'repo' ? ['repo', 'repo:status', 'public_repo', 'repo_deployment'] : s === 'admin:org' || s === 'write:org' ? [s, 'read:org'] : [s])));
  return accepted.some((s) => implied.has(s)) ? undefined : { accepted, has };
}

interface RestPull {
  number: number;
  html_url: string;
  user: { login: string } | null;
  state: string;
  draft?: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  /** Only on the pull request itself, not in listings. */
  merged_by?: { login: string } | null;
  updated_at: string;
  title: string;
  head: { ref: string; sha: string; user?: { login: string } | null; repo?: { owner: { login: string } } | null };
  base: { ref: string; sha: string };
}

function pullRequestSummary(p: RestPull, merged: boolean): PullRequestSummary {
  return {
    number: p.number,
    url: p.html_url,
    author: p.user?.login ?? 'ghost',
    state: p.state === 'closed' ? 'closed' : 'open',
    draft: p.draft ?? false,
    merged,
    headSha: p.head.sha,
    headRef: p.head.ref,
    // A fork's repository may be deleted (repo null): its owner is still the head's user.
    headOwner: p.head.repo?.owner.login ?? p.head.user?.login ?? '',
    baseRef: p.base.ref,
    baseSha: p.base.sha,
    title: p.title,
    mergedAt: p.merged_at,
    mergedBy: p.merged_by?.login ?? null,
    mergeCommitSha: p.merged_at ? p.merge_commit_sha : null,
    updatedAt: p.updated_at,
  };
}

function issueComment(c: { id: number; html_url: string; user: { login: string } | null; body?: string; created_at: string; updated_at: string }): IssueComment {
  return { id: c.id, url: c.html_url, author: c.user?.login ?? 'ghost', body: c.body ?? '', createdAt: c.created_at, updatedAt: c.updated_at };
}

function commitStatus(s: { context: string; state: string; description: string | null; target_url: string | null; creator: { login: string; type: string } | null; created_at: string }): CommitStatus {
  return { context: s.context, state: s.state as CommitStatusState, description: s.description, targetUrl: s.target_url, creator: s.creator ? { login: s.creator.login, type: s.creator.type } : null, createdAt: s.created_at };
}

function issueSummary(i: { number: number; html_url: string; state: string; title: string; body?: string | null; assignees?: { login: string }[] | null; created_at: string; closed_at: string | null }): IssueSummary {
  return { number: i.number, url: i.html_url, state: i.state === 'closed' ? 'closed' : 'open', title: i.title, body: i.body ?? '', assignees: (i.assignees ?? []).map((a) => a.login), createdAt: i.created_at, closedAt: i.closed_at };
}
