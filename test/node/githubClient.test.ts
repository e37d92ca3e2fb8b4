// The GitHub client against the local GitHub double: every port method answered from the double's
// state, every list followed past its first page, and every fault GitHub produces turned into one
// ChangeControlError that says what to do. The double checks each request and response against
// GitHub's own descriptions; a test with any violation fails. No test waits for real backoff.
import assert from 'node:assert/strict';
import { isChangeControlError, type ErrorCode } from '../../src/core/errors';
import type { GitHub, Log } from '../../src/core/ports';
import { createGitHub, githubEndpoints, graphqlUrlFor, type GitHubClientOptions } from '../../src/node/github/client';
import { faults, startGitHubDouble, type GitHubDouble } from '../support/githubDouble';

const TOKEN = 'ghp_Tok3nThatMustNeverBeShown0000000000001';
const NO_ORG_TOKEN = 'ghp_Tok3nWithoutReadOrg000000000000000002';
const FINE_GRAINED = 'github_pat_11AAAAAAA0FineGrainedNoStatuses00000003';
const ACTIONS_TOKEN = 'ghs_ActionsInstallationToken00000000000004';
const R = { owner: 'acme', name: 'app' };
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const sha = (n: number) => n.toString(16).padStart(40, 'c');

describe('the GitHub client', function () {
  let github: GitHubDouble;
  let sleeps: number[];
  let logs: string[];

  const log: Log = {
    debug: (m) => logs.push(m),
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };

  function client(options: Partial<GitHubClientOptions> = {}): GitHub {
    return createGitHub({
      token: TOKEN,
      baseUrl: github.url,
      userAgent: 'change-control-test',
      // Generous: the double compiles an operation's validators on its first use. The tests of
      // timeouts set a short one after warming the operation up.
      timeoutMs: 3000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      log,
      ...options,
    });
  }

  /** Rejects with this code and a message matching `pattern`, and never shows a token. */
  async function rejects(promise: Promise<unknown>, code: ErrorCode, pattern: RegExp): Promise<string> {
    let message = '';
    await assert.rejects(promise, (err: unknown) => {
      assert.ok(isChangeControlError(err), `not a ChangeControlError: ${String(err)}`);
      assert.equal(err.code, code, err.message);
      assert.match(err.message, pattern);
      message = err.message;
      return true;
    });
    for (const token of [TOKEN, NO_ORG_TOKEN, FINE_GRAINED, ACTIONS_TOKEN]) assert.ok(!message.includes(token), `the message shows a token: ${message}`);
    return message;
  }

  beforeEach(async () => {
    sleeps = [];
    logs = [];
    github = await startGitHubDouble();
    github
      .token(TOKEN, 'alice', { scopes: ['repo', 'read:org'] })
      .token(NO_ORG_TOKEN, 'alice', { scopes: ['repo'] })
      .token(FINE_GRAINED, 'alice', { permissions: { contents: 'read', pull_requests: 'write', issues: 'write' } })
      .token(ACTIONS_TOKEN, 'github-actions[bot]', { app: true, permissions: { statuses: 'write', contents: 'read' } })
      .user('bob')
      .repo('acme/app', { collaborators: { alice: 'write', bob: 'maintain', carol: 'triage', dave: 'read', erin: 'admin', 'github-actions[bot]': 'write' } })
      .push('acme/app', HEAD, BASE);
  });

  afterEach(async () => {
    await github.close();
    for (const line of logs) for (const token of [TOKEN, NO_ORG_TOKEN, FINE_GRAINED, ACTIONS_TOKEN]) assert.ok(!line.includes(token), `a log line shows a token: ${line}`);
    github.assertNoViolations();
  });

  describe('answers each question from what GitHub holds', () => {
    it('lists the merged pull requests of a period newest change first, page by page, and stops at the first older one', async () => {
      // 250 closed pull requests into main, one a day (every third closed without merging), and one into another branch.
      for (let n = 1; n <= 250; n++) {
        const at = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        github.pullRequest('acme/app', { number: n, author: 'alice', head: { ref: `b${n}`, sha: sha(n) }, base: { ref: 'main', sha: BASE }, merged: n % 3 !== 0, state: 'closed', mergedAt: n % 3 !== 0 ? at : null });
        github.state.mustRepo('acme/app').pulls.get(n)!.updatedAt = at;
      }
      github.pullRequest('acme/app', { number: 300, author: 'alice', head: { ref: 'x', sha: sha(300) }, base: { ref: 'release', sha: BASE }, merged: true, mergedAt: '2026-09-01T00:00:00Z' });
      const since = new Date(Date.UTC(2026, 0, 1) + 100.5 * 86_400_000);
      const got: number[] = [];
      for await (const pr of client().mergedPullRequests(R, 'main', since)) got.push(pr.number);
      const expected = Array.from({ length: 150 }, (_, i) => 250 - i).filter((n) => n % 3 !== 0);
      assert.deepEqual(got, expected);
      assert.equal(github.requestsFor('pulls/list').length, 2, 'two pages of 100, then it stops: the rest are older');
    });

    it('account: the token\'s login and account type', async () => {
      assert.deepEqual(await client().account(), { login: 'alice', type: 'User' });
    });

    it('account: an app\'s token (Actions\' GITHUB_TOKEN) is refused by GitHub, and said to be an app\'s', async () => {
      await rejects(client({ token: ACTIONS_TOKEN }).account(), 'GITHUB_FORBIDDEN', /the token is an app's \(such as Actions' GITHUB_TOKEN\)/);
    });

    it('hasCommit: true for a pushed commit, false for one GitHub does not have', async () => {
      const gh = client();
      assert.equal(await gh.hasCommit(R, HEAD), true);
      assert.equal(await gh.hasCommit(R, 'f'.repeat(40)), false); // GitHub answers 422 "No commit found"
      assert.equal(await gh.hasCommit({ owner: 'acme', name: 'gone' }, HEAD), false); // 404
    });

    it('openPullRequests: the open pull requests of owner:branch, a fork\'s by its owner', async () => {
      github.repo('mallory/app', { private: false });
      const mine = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD }, base: { sha: BASE }, title: 'Mine', draft: true });
      github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: sha(1) }, state: 'closed' });
      github.pullRequest('acme/app', { author: 'mallory', head: { ref: 'feature', sha: sha(2), owner: 'mallory', repo: 'app' } });
      const gh = client();
      const open = await gh.openPullRequests(R, 'feature');
      assert.deepEqual(open, [
        { number: mine.number, url: `${github.url}/acme/app/pull/${mine.number}`, author: 'alice', state: 'open', draft: true, merged: false, headSha: HEAD, headRef: 'feature', headOwner: 'acme', baseRef: 'main', baseSha: BASE, title: 'Mine', mergedAt: null, mergedBy: null, mergeCommitSha: null, updatedAt: mine.updatedAt },
      ]);
      const fork = await gh.openPullRequests(R, 'feature', 'mallory');
      assert.deepEqual(fork.map((p) => [p.author, p.headOwner]), [['mallory', 'mallory']]);
      const [request] = github.requestsFor('pulls/list');
      assert.match(request.path, /[?&]head=acme%3Afeature(&|$)/);
      assert.match(request.path, /[?&]state=open(&|$)/);
    });

    it('pullRequest: one pull request, merged or not, with who merged it and the commit it made', async () => {
      const MERGE = 'c'.repeat(40);
      const pr = github.pullRequest('acme/app', { author: 'bob', head: { ref: 'fix', sha: HEAD }, base: { ref: 'release', sha: BASE }, merged: true, mergedAt: '2026-02-01T10:00:00Z', mergedBy: 'carol', mergeCommitSha: MERGE, title: 'Fix' });
      assert.deepEqual(await client().pullRequest(R, pr.number), {
        number: pr.number,
        url: `${github.url}/acme/app/pull/${pr.number}`,
        author: 'bob',
        state: 'closed',
        draft: false,
        merged: true,
        headSha: HEAD,
        headRef: 'fix',
        headOwner: 'acme',
        baseRef: 'release',
        baseSha: BASE,
        title: 'Fix',
        mergedAt: '2026-02-01T10:00:00Z',
        mergedBy: 'carol',
        mergeCommitSha: MERGE,
        updatedAt: pr.updatedAt,
      });
      await rejects(client().pullRequest(R, 999), 'GITHUB_NOT_FOUND', /^Pull request #999 of acme\/app was not found, or the token cannot see the repository/);
    });

    it('reviews: every submitted review over several pages, oldest first, without pending drafts', async () => {
      const pr = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD } });
      for (let i = 0; i < 130; i++) github.review('acme/app', pr.number, { user: i % 2 ? 'bob' : 'carol', state: i === 129 ? 'APPROVED' : 'COMMENTED', commitId: i < 100 ? BASE : HEAD });
      github.review('acme/app', pr.number, { user: 'alice', state: 'PENDING' }); // alice's own draft: GitHub shows it to her
      github.review('acme/app', pr.number, { user: 'bob', state: 'PENDING' }); // bob's: GitHub shows it to nobody else
      const reviews = await client().reviews(R, pr.number);
      assert.equal(reviews.length, 130);
      assert.deepEqual(reviews[0], { id: pr.reviews[0].id, reviewer: 'carol', state: 'COMMENTED', commit: BASE, submittedAt: pr.reviews[0].submittedAt, url: `${github.url}/acme/app/pull/${pr.number}#pullrequestreview-${pr.reviews[0].id}` });
      assert.deepEqual(reviews[129], { id: pr.reviews[129].id, reviewer: 'bob', state: 'APPROVED', commit: HEAD, submittedAt: pr.reviews[129].submittedAt, url: `${github.url}/acme/app/pull/${pr.number}#pullrequestreview-${pr.reviews[129].id}` });
      assert.deepEqual(reviews.map((r) => r.id), pr.reviews.slice(0, 130).map((r) => r.id));
      assert.deepEqual(github.requestsFor('pulls/list-reviews').map((r) => r.status), [200, 200]);
    });

    it('reviewThreads: every thread over several GraphQL pages, resolved and outdated as GitHub says', async () => {
      const pr = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD } });
      for (let i = 0; i < 150; i++) github.reviewThread('acme/app', pr.number, { path: `src/f${i}.ts`, line: i + 1, resolved: i % 3 === 0, outdated: i === 149, author: i === 148 ? null : 'bob' });
      const threads = await client().reviewThreads(R, pr.number);
      assert.equal(threads.length, 150);
      assert.deepEqual(threads[0], { path: 'src/f0.ts', line: 1, url: `${github.url}/acme/app/pull/${pr.number}#discussion_r${pr.threads[0].commentId}`, resolved: true, outdated: false, author: 'bob' });
      assert.equal(threads[148].author, 'ghost');
      assert.deepEqual([threads[149].outdated, threads[149].line], [true, null]);
      const pages = github.requestsFor('graphql');
      assert.equal(pages.length, 2);
      assert.equal(pages[0].variables?.cursor, null);
      assert.equal(typeof pages[1].variables?.cursor, 'string');
      await rejects(client().reviewThreads(R, 999), 'GITHUB_NOT_FOUND', /Pull request #999 of acme\/app was not found/);
    });

    it('permission: the role itself, maintain and triage included, and none for others', async () => {
      const gh = client();
      const roles = await Promise.all(['erin', 'bob', 'alice', 'carol', 'dave'].map((u) => gh.permission(R, u)));
      assert.deepEqual(roles, ['admin', 'maintain', 'write', 'triage', 'read']);
      github.user('zed');
      assert.equal(await gh.permission(R, 'zed'), 'none');
    });

    it('teamMembership: member, not a member (pending included), and unknown when the token cannot see the team', async () => {
      github.org('acme', ['alice', 'bob']).team('acme', 'release', { alice: 'active', carol: 'pending' }).team('acme', 'security', { bob: 'active' }, { privacy: 'secret' });
      const gh = client();
      assert.equal(await gh.teamMembership('acme', 'release', 'alice'), 'member');
      assert.equal(await gh.teamMembership('acme', 'release', 'carol'), 'not-member');
      assert.equal(await gh.teamMembership('acme', 'release', 'bob'), 'not-member');
      assert.equal(await gh.teamMembership('acme', 'security', 'bob'), 'unknown', 'a secret team alice is not in');
      assert.equal(await gh.teamMembership('acme', 'no-such-team', 'alice'), 'unknown');
      assert.equal(await client({ token: NO_ORG_TOKEN }).teamMembership('acme', 'release', 'alice'), 'unknown', 'GitHub answers 404 to a token without read:org');
      assert.equal(await client({ token: ACTIONS_TOKEN }).teamMembership('acme', 'release', 'alice'), 'unknown');
    });

    it('issueComments, createIssueComment, updateIssueComment: all pages, then a new comment and its edit', async () => {
      const pr = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD } });
      for (let i = 0; i < 105; i++) github.issueComment('acme/app', pr.number, 'bob', `comment ${i}`);
      const gh = client();
      const comments = await gh.issueComments(R, pr.number);
      assert.equal(comments.length, 105);
      assert.deepEqual(comments.map((c) => c.body).slice(0, 2), ['comment 0', 'comment 1']);
      assert.equal(comments[104].body, 'comment 104');
      const created = await gh.createIssueComment(R, pr.number, 'Signed off');
      assert.equal(created.author, 'alice');
      assert.equal(created.url, `${github.url}/acme/app/pull/${pr.number}#issuecomment-${created.id}`);
      const edited = await gh.updateIssueComment(R, created.id, 'Signed off (edited)');
      assert.equal(edited.body, 'Signed off (edited)');
      assert.equal(github.state.mustRepo('acme/app').comments.find((c) => c.id === created.id)?.body, 'Signed off (edited)');
      await rejects(gh.createIssueComment(R, pr.number, 'x'.repeat(65537)), 'GITHUB_REFUSED', /comment on #\d+ of acme\/app: Body is too long \(maximum is 65536 characters\)\.$/);
      await rejects(gh.updateIssueComment(R, 424242, 'x'), 'GITHUB_NOT_FOUND', /Comment 424242 of acme\/app was not found/);
    });

    it('statuses: all pages, newest first, each with its creator', async () => {
      for (let i = 0; i < 120; i++) github.status('acme/app', HEAD, { context: `ci/${i}`, state: 'success', creator: i === 119 ? 'github-actions[bot]' : 'bob', description: `run ${i}` });
      const statuses = await client().statuses(R, HEAD);
      assert.equal(statuses.length, 120);
      assert.deepEqual(statuses[0], { context: 'ci/119', state: 'success', description: 'run 119', targetUrl: null, creator: { login: 'github-actions[bot]', type: 'Bot' }, createdAt: statuses[0].createdAt });
      assert.equal(statuses[119].context, 'ci/0');
      assert.deepEqual(github.requestsFor('repos/list-commit-statuses-for-ref').length, 2);
    });

    it('createStatus: the status GitHub recorded, with its creator', async () => {
      const status = await client().createStatus(R, HEAD, { context: 'signoff', state: 'success', description: 'Alice signed off', targetUrl: 'https://example.com/record/1' });
      assert.deepEqual({ ...status, createdAt: '' }, { context: 'signoff', state: 'success', description: 'Alice signed off', targetUrl: 'https://example.com/record/1', creator: { login: 'alice', type: 'User' }, createdAt: '' });
      assert.equal(github.state.mustRepo('acme/app').statuses.at(-1)?.creator, 'alice');
    });

    it('createStatus: GitHub\'s limits are GitHub\'s words (140 characters; 1,000 per sha and context, case-insensitive)', async () => {
      const gh = client();
      await rejects(gh.createStatus(R, HEAD, { context: 'signoff', state: 'success', description: 'x'.repeat(141) }), 'GITHUB_REFUSED', /^GitHub refused to set status signoff on commit aaaaaaa in acme\/app: description is too long \(maximum is 140 characters\)\.$/);
      const repo = github.state.mustRepo('acme/app');
      for (let i = 0; i < 1000; i++) repo.statuses.push({ id: 100000 + i, sha: HEAD, context: 'Signoff', state: 'pending', description: null, targetUrl: null, creator: 'alice', createdAt: '2026-01-01T00:00:00Z' });
      await rejects(gh.createStatus(R, HEAD, { context: 'signoff', state: 'success', description: 'ok' }), 'GITHUB_REFUSED', /reached the maximum number of statuses/);
    });

    it('createStatus: a commit GitHub does not have is "push first"', async () => {
      await rejects(client().createStatus(R, 'f'.repeat(40), { context: 'signoff', state: 'success', description: 'ok' }), 'GITHUB_NOT_FOUND', /^Commit fffffff is not on GitHub \(acme\/app\): push it first, then try again\.$/);
    });

    it('requiredChecks: every required context with the app it is pinned to; [] without rules or repository', async () => {
      github.branchRules('acme/app', 'main', [{ type: 'deletion' }, { type: 'required_status_checks', checks: [{ context: 'signoff' }, { context: 'test', integrationId: 15368 }] }, { type: 'pull_request', requiredApprovals: 1 }]);
      github.branchRules('acme/app', '*', [{ type: 'required_status_checks', checks: [{ context: 'signoff' }, { context: 'lint' }] }]);
      const gh = client();
      assert.deepEqual(await gh.requiredChecks(R, 'main'), [
        { context: 'signoff', integrationId: null },
        { context: 'test', integrationId: 15368 },
        { context: 'lint', integrationId: null },
      ]);
      assert.deepEqual(await gh.requiredChecks(R, 'feature/x'), []); // `*` does not match a slash
      assert.deepEqual(await gh.requiredChecks({ owner: 'acme', name: 'gone' }, 'main'), []);
    });

    it('checkRuns: the runs of that name on the commit, with their app', async () => {
      github.checkRun('acme/app', HEAD, { name: 'signoff', conclusion: 'failure' });
      github.checkRun('acme/app', HEAD, { name: 'test' });
      github.checkRun('acme/app', HEAD, { name: 'signoff', status: 'in_progress', app: 'circleci-checks', appId: 18001 });
      const runs = await client().checkRuns(R, HEAD, 'signoff');
      assert.deepEqual(runs, [
        { name: 'signoff', status: 'in_progress', conclusion: null, app: 'circleci-checks' },
        { name: 'signoff', status: 'completed', conclusion: 'failure', app: 'github-actions' },
      ]);
      assert.match(github.requestsFor('checks/list-for-ref')[0].path, /[?&]check_name=signoff(&|$)/);
    });

    it('issuesWithLabel and createIssue: open and closed issues, pull requests left out', async () => {
      const retro = github.issue('acme/app', { title: 'Retro: hotfix', labels: ['emergency'], assignees: ['bob'], body: 'Due 2026-03-10' });
      github.issue('acme/app', { title: 'Retro: old', labels: ['Emergency', 'done'], state: 'closed' });
      github.issue('acme/app', { title: 'Other', labels: ['bug'] });
      github.pullRequest('acme/app', { author: 'alice', head: { ref: 'hotfix', sha: HEAD }, labels: ['emergency'] });
      const gh = client();
      const issues = await gh.issuesWithLabel(R, 'emergency');
      assert.deepEqual(issues.map((i) => [i.title, i.state]), [['Retro: old', 'closed'], ['Retro: hotfix', 'open']]);
      assert.deepEqual(issues[1], { number: retro.number, url: `${github.url}/acme/app/issues/${retro.number}`, state: 'open', title: 'Retro: hotfix', body: 'Due 2026-03-10', assignees: ['bob'], createdAt: retro.createdAt, closedAt: null });
      assert.equal(issues[0].closedAt, [...github.state.mustRepo('acme/app').issues.values()].find((i) => i.title === 'Retro: old')?.closedAt);
      const created = await gh.createIssue(R, { title: 'Retro: today', body: 'What happened', labels: ['emergency'], assignees: ['bob'] });
      assert.deepEqual({ ...created, number: 0, url: '', createdAt: '' }, { number: 0, url: '', state: 'open', title: 'Retro: today', body: 'What happened', assignees: ['bob'], createdAt: '', closedAt: null });
      assert.deepEqual(github.state.mustRepo('acme/app').issues.get(created.number)?.labels, ['emergency']);
      await rejects(gh.createIssue(R, { title: 'x', body: '', assignees: ['nobody-here'] }), 'GITHUB_REFUSED', /open an issue in acme\/app: assignees is invalid \("nobody-here"\)/);
    });
  });

  describe('turns faults into one sentence that says what to do', () => {
    it('401: sign in again', async () => {
      github.fail(faults.unauthorized());
      await rejects(client().account(), 'GITHUB_AUTH', /^GitHub refused the token \(401 Bad credentials\) when asked to tell whose token this is: sign in to GitHub again, or set a new GITHUB_TOKEN\.$/);
      await rejects(client({ token: 'ghp_NotAToken0000000000000000000000000000' }).statuses(R, HEAD), 'GITHUB_AUTH', /sign in to GitHub again/);
      assert.deepEqual(sleeps, [], '4xx is never retried');
    });

    it('403 for a missing scope names the scope', async () => {
      github.fail(faults.missingScope(['repo', 'repo:status'], ['read:org']));
      await rejects(client().createStatus(R, HEAD, { context: 'signoff', state: 'success', description: 'ok' }), 'GITHUB_FORBIDDEN', /the token lacks the scope repo or repo:status \(it has read:org\); use a token with that scope \(gh auth refresh -s repo\)\.$/);
    });

    it('403 for a fine-grained token without the permission names the permission', async () => {
      await rejects(client({ token: FINE_GRAINED }).createStatus(R, HEAD, { context: 'signoff', state: 'success', description: 'ok' }), 'GITHUB_FORBIDDEN', /^GitHub refused to set status signoff on commit aaaaaaa in acme\/app: the token lacks the permission statuses: write; give it that permission, or use a token that has it\.$/);
    });

    it('403 for SAML SSO gives the URL to authorise the token at', async () => {
      github.fail(faults.sso('acme', 'xyz'));
      await rejects(client().pullRequest(R, 1), 'GITHUB_FORBIDDEN', /SAML single sign-on .* authorise it at https:\/\/github\.com\/orgs\/acme\/sso\?authorization_request=xyz, then try again\.$/);
    });

    it('404 for a repository names it and the token\'s sight', async () => {
      await rejects(client().statuses({ owner: 'acme', name: 'secret' }, HEAD), 'GITHUB_NOT_FOUND', /^GitHub found nothing when asked to list the statuses of commit aaaaaaa in acme\/secret: the repository or the item is not there, or the token cannot see it/);
    });

    it('a primary rate limit is not waited out: it says when it resets, in local time and minutes', async () => {
      const reset = Math.floor(Date.parse('2026-03-02T15:40:00Z') / 1000);
      github.fail(faults.primaryRateLimit(reset));
      const at = new Date(reset * 1000);
      const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
      await rejects(client({ now: () => new Date((reset - 12 * 60 + 5) * 1000) }).account(), 'GITHUB_RATE_LIMITED', new RegExp(`it resets at ${hhmm} \\(in 12 minutes\\); try again then\\.$`));
      github.fail(faults.primaryRateLimit(reset, 429));
      await rejects(client({ now: () => new Date((reset - 60) * 1000) }).account(), 'GITHUB_RATE_LIMITED', /\(in 1 minute\)/);
      assert.deepEqual(sleeps, []);
      assert.equal(github.requestsFor('users/get-authenticated').length, 2);
    });

    it('a secondary rate limit with a short Retry-After is waited out and retried', async () => {
      github.fail(faults.secondaryRateLimit(3), { times: 2 });
      assert.deepEqual(await client().account(), { login: 'alice', type: 'User' });
      assert.deepEqual(sleeps, [3000, 3000]);
      assert.deepEqual(github.requestsFor('users/get-authenticated').map((r) => r.status), [403, 403, 200]);
    });

    it('a secondary rate limit with a long or no Retry-After is reported, not waited out', async () => {
      github.fail(faults.secondaryRateLimit(900));
      await rejects(client().account(), 'GITHUB_RATE_LIMITED', /secondary rate limit stopped the request to tell whose token this is: wait 15 minutes, then try again\.$/);
      github.fail(faults.secondaryRateLimit());
      await rejects(client().account(), 'GITHUB_RATE_LIMITED', /wait a minute or two/);
      assert.deepEqual(sleeps, []);
    });

    it('500 is retried after a backoff, then answered', async () => {
      github.fail(faults.serverError(500));
      assert.equal(await client().hasCommit(R, HEAD), true);
      assert.equal(sleeps.length, 1);
      assert.ok(sleeps[0] >= 250 && sleeps[0] <= 500, `first backoff ${sleeps[0]} ms is 0.5 s with jitter`);
      assert.deepEqual(github.requestsFor('repos/get-commit').map((r) => r.status), [500, 200]);
    });

    it('502 until the retries are spent is GITHUB_UNAVAILABLE, after exponential backoff', async () => {
      github.fail(faults.serverError(502), { times: 10 });
      await rejects(client().pullRequest(R, 1), 'GITHUB_UNAVAILABLE', /^127\.0\.0\.1:\d+ failed when asked to read pull request #1 of acme\/app \(502, 4 tries\): try again later\.$/);
      assert.equal(github.requestsFor('pulls/get').length, 4);
      assert.equal(sleeps.length, 3);
      [500, 1000, 2000].forEach((base, i) => assert.ok(sleeps[i] >= base / 2 && sleeps[i] <= base, `backoff ${i + 1}: ${sleeps[i]} ms within [${base / 2}, ${base}]`));
      assert.ok(logs.some((l) => /GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\} failed \(HTTP 502\); trying again in \d+ ms \(retry 1 of 3\)/.test(l)));
    });

    it('retries is a bound: retries 0 tries once', async () => {
      github.fail(faults.serverError(503), { times: 2 });
      await rejects(client({ retries: 0 }).account(), 'GITHUB_UNAVAILABLE', /\(503\): try again later/);
      assert.equal(github.requestsFor('users/get-authenticated').length, 1);
    });

    it('a request that hangs times out, is retried, and ends as GITHUB_UNAVAILABLE', async () => {
      github.fail(faults.hang(), { times: 3 });
      await rejects(client({ retries: 2, timeoutMs: 100 }).statuses(R, HEAD), 'GITHUB_UNAVAILABLE', /did not answer when asked to list the statuses of commit aaaaaaa in acme\/app \(no answer within 0\.1 s, 3 tries\): check the network connection, then try again\.$/);
      assert.deepEqual(github.requestsFor('repos/list-commit-statuses-for-ref').map((r) => r.status), ['hang', 'hang', 'hang']);
    });

    it('a hang once, then an answer', async () => {
      await client().statuses(R, HEAD); // compiles the double's validators for it, outside the short timeout
      github.fail(faults.hang());
      assert.deepEqual(await client({ timeoutMs: 150 }).statuses(R, HEAD), []);
      assert.deepEqual(github.requestsFor('repos/list-commit-statuses-for-ref').map((r) => r.status), [200, 'hang', 200]);
    });

    it('a dropped connection is retried; dropped every time, it is GITHUB_UNAVAILABLE', async () => {
      github.fail(faults.drop());
      assert.deepEqual(await client().account(), { login: 'alice', type: 'User' });
      github.fail(faults.drop(), { times: 4 });
      await rejects(client().account(), 'GITHUB_UNAVAILABLE', /did not answer when asked to tell whose token this is \(connection lost: .+, 4 tries\)/);
    });

    it('a server that is not there at all is GITHUB_UNAVAILABLE', async () => {
      const url = github.url;
      await github.close();
      await rejects(client({ baseUrl: url, retries: 1 }).account(), 'GITHUB_UNAVAILABLE', /did not answer when asked to tell whose token this is \(connection refused, 2 tries\)/);
      github = await startGitHubDouble(); // for afterEach
    });

    it('a comment is not posted twice: after a 502 it is not retried, and the message says to look first', async () => {
      const pr = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD } });
      github.fail(faults.serverError(502), { operation: 'issues/create-comment' });
      await rejects(client().createIssueComment(R, pr.number, 'Signed off'), 'GITHUB_UNAVAILABLE', /\(502\): the comment may have been posted: look at the pull request before trying again; try again later\.$/);
      assert.equal(github.requestsFor('issues/create-comment').length, 1);
      assert.deepEqual(sleeps, []);
    });

    it('a status may be set twice without harm, so it is retried', async () => {
      github.fail(faults.serverError(502), { operation: 'repos/create-commit-status' });
      const status = await client().createStatus(R, HEAD, { context: 'signoff', state: 'success', description: 'ok' });
      assert.equal(status.context, 'signoff');
      assert.deepEqual(github.requestsFor('repos/create-commit-status').map((r) => r.status), [502, 201]);
    });

    it('the token never shows, even where GitHub\'s own message would quote it', async () => {
      github.fail(faults.unprocessable(`Validation Failed for ${TOKEN}`));
      const message = await rejects(client().createIssue(R, { title: 't', body: 'b' }), 'GITHUB_REFUSED', /\[token\]/);
      assert.ok(!message.includes(TOKEN));
    });

    it('no token at all is GITHUB_NO_TOKEN, before any request', () => {
      assert.throws(() => createGitHub({ token: '' }), (err: unknown) => isChangeControlError(err) && err.code === 'GITHUB_NO_TOKEN' && /set GITHUB_TOKEN/.test(err.message));
      assert.equal(github.requests.length, 0);
    });
  });

  describe('GitHub Enterprise Server', () => {
    it('takes its REST root at /api/v3 and its GraphQL at /api/graphql', async () => {
      const pr = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD } });
      github.reviewThread('acme/app', pr.number, { path: 'a.ts', line: 2, author: 'bob' });
      const gh = client({ baseUrl: github.enterpriseUrl });
      const fetched = await gh.pullRequest(R, pr.number);
      assert.equal(fetched.url, `${github.url}/acme/app/pull/${pr.number}`);
      assert.equal((await gh.reviewThreads(R, pr.number)).length, 1);
      assert.deepEqual(github.requests.map((r) => r.path.split('?')[0]), [`/api/v3/repos/acme/app/pulls/${pr.number}`, '/api/graphql']);
    });

    it('follows the Link of every page under /api/v3', async () => {
      for (let i = 0; i < 101; i++) github.status('acme/app', HEAD, { context: `c${i}`, state: 'pending' });
      assert.equal((await client({ baseUrl: `${github.enterpriseUrl}/` }).statuses(R, HEAD)).length, 101);
      assert.ok(github.requests.every((r) => r.path.startsWith('/api/v3/')));
    });

    it('an explicit GraphQL URL is used as given', async () => {
      const pr = github.pullRequest('acme/app', { author: 'alice', head: { ref: 'feature', sha: HEAD } });
      await client({ baseUrl: github.enterpriseUrl, graphqlUrl: github.graphqlUrl }).reviewThreads(R, pr.number);
      assert.deepEqual(github.requests.map((r) => r.path), ['/graphql']);
    });

    it('the endpoints follow GITHUB_API_URL and GITHUB_GRAPHQL_URL, as in Actions', () => {
      assert.deepEqual(githubEndpoints({}), { baseUrl: 'https://api.github.com' });
      assert.deepEqual(githubEndpoints({ GITHUB_API_URL: 'https://ghe.example.com/api/v3', GITHUB_GRAPHQL_URL: 'https://ghe.example.com/api/graphql' }), { baseUrl: 'https://ghe.example.com/api/v3', graphqlUrl: 'https://ghe.example.com/api/graphql' });
      assert.equal(graphqlUrlFor('https://ghe.example.com/api/v3/'), 'https://ghe.example.com/api/graphql');
      assert.equal(graphqlUrlFor('https://api.github.com'), 'https://api.github.com/graphql');
    });
  });
});
