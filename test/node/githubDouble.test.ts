// The GitHub double's own checks can fail: a request GitHub would refuse and a response GitHub
// could not send are both recorded as violations. Without these, a double that validated nothing
// would pass every client test.
import assert from 'node:assert/strict';
import { faults, startGitHubDouble, type GitHubDouble } from '../support/githubDouble';

const SHA = 'a'.repeat(40);

describe('the GitHub double', function () {
  let github: GitHubDouble;

  beforeEach(async () => {
    github = await startGitHubDouble();
    github.token('tok-alice', 'alice', { scopes: ['repo', 'read:org'] }).repo('acme/app', { collaborators: { alice: 'write' } }).push('acme/app', SHA);
  });

  afterEach(async () => {
    await github.close();
    github.assertNoViolations();
  });

  const call = async (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${github.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: 'token tok-alice', 'user-agent': 'double-test', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers a valid request from its state with no violation', async () => {
    const res = await call(`/repos/acme/app/statuses/${SHA}`, { method: 'POST', body: { state: 'success', context: 'signoff', description: 'Alice signed off' } });
    assert.equal(res.status, 201);
    assert.equal((res.body.creator as { login: string }).login, 'alice');
    assert.equal(res.headers.get('x-oauth-scopes'), 'repo, read:org');
    assert.deepEqual(github.violations(), []);
    github.assertNoViolations();
  });

  it('refuses a body GitHub would refuse, with 400, and records it', async () => {
    const res = await call(`/repos/acme/app/statuses/${SHA}`, { method: 'POST', body: { state: 'approved', context: 'signoff' } });
    assert.equal(res.status, 400);
    const [v] = github.violations();
    assert.equal(v.kind, 'request');
    assert.equal(v.operationId, 'repos/create-commit-status');
    assert.match(v.problems.join('\n'), /body\/state must be equal to one of the allowed values/);
    assert.throws(() => github.assertNoViolations(), /1 violation\(s\) of GitHub's API/);
    assert.deepEqual(github.violations(), [], 'assertNoViolations clears what it reported');
  });

  it('refuses a query parameter the operation does not take, and an ill-typed one', async () => {
    await call('/repos/acme/app/commits/HEAD/check-runs?checkName=signoff');
    await call('/repos/acme/app/pulls?per_page=many');
    const problems = github.takeViolations().map((v) => v.problems.join(' '));
    assert.match(problems[0], /additionalProperty":"checkName"/);
    assert.match(problems[1], /query\/per_page must be integer/);
  });

  it('answers 404 for a route GitHub does not have, and records it', async () => {
    const res = await call('/repos/acme/app/signoffs');
    assert.equal(res.status, 404);
    assert.equal(github.takeViolations()[0].kind, 'route');
  });

  it('records a response that does not fit GitHub\'s description', async () => {
    // A user without its required fields: GitHub never sends that, so a test may not either.
    github.fail({ kind: 'status', status: 200, body: { login: 'alice' } }, { operation: 'users/get-authenticated' });
    const res = await call('/user');
    assert.equal(res.status, 200);
    const [v] = github.takeViolations();
    assert.equal(v.kind, 'response');
    assert.match(v.problems.join('\n'), /200 body must have required property/);
  });

  it('validates GraphQL queries against GitHub\'s schema', async () => {
    const res = await call('/graphql', { method: 'POST', body: { query: '{ repository(owner: "acme", name: "app") { pullRequest(number: 1) { reviewThreads(first: 10) { nodes { resolved } } } } }' } });
    assert.equal(res.status, 200);
    assert.match(JSON.stringify(res.body.errors), /Cannot query field \\"resolved\\" on type \\"PullRequestReviewThread\\"/);
    assert.equal(github.takeViolations()[0].operationId, 'graphql');
  });

  it('serves the same REST paths under /api/v3, as GitHub Enterprise Server does', async () => {
    const res = await call(`/api/v3/repos/acme/app/commits/${SHA}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.url, `${github.url}/api/v3/repos/acme/app/commits/${SHA}`);
    github.assertNoViolations();
  });

  it('pages lists with per_page and page, and a Link to the next page', async () => {
    for (let i = 0; i < 5; i++) github.status('acme/app', SHA, { context: `c${i}`, state: 'success' });
    const first = await call(`/repos/acme/app/commits/${SHA}/statuses?per_page=2`);
    assert.equal((first.body as unknown as unknown[]).length, 2);
    assert.match(first.headers.get('link') ?? '', /[?&]page=2>; rel="next"/);
    assert.match(first.headers.get('link') ?? '', /[?&]page=3>; rel="last"/);
    const last = await call(`/repos/acme/app/commits/${SHA}/statuses?per_page=2&page=3`);
    assert.equal((last.body as unknown as unknown[]).length, 1);
    assert.doesNotMatch(last.headers.get('link') ?? '', /rel="next"/);
    github.assertNoViolations();
  });

  it('refuses an unknown token with 401 and a request without User-Agent', async () => {
    assert.equal((await call('/user', { headers: { authorization: 'token nope' } })).status, 401);
    const res = await fetch(`${github.url}/user`, { headers: { authorization: 'token tok-alice', 'user-agent': '' } });
    assert.equal(res.status, 400);
    assert.match(github.takeViolations()[0].problems[0], /no User-Agent/);
  });

  it('injects faults for the next requests, then answers again', async () => {
    github.fail(faults.serverError(503), { times: 2 });
    assert.equal((await call('/user')).status, 503);
    assert.equal((await call('/user')).status, 503);
    assert.equal((await call('/user')).status, 200);
    github.assertNoViolations();
  });
});
