// `change-control gate` as a CI job runs it: a GitHub Actions pull_request_target event, the built
// CLI, the repository, and the GitHub double holding a real sign-off — and the forgeries and drifts
// a gate exists to catch.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCliProcess as runCli } from './cliProcess';
import { tempDir } from './gitRepo';
import { makeSignoffWorld, REPO, type SignoffWorld } from './signoffWorld';

const POLICY = `version: 1
signoff: { signers: { users: ["@dev"] } }
levels:
  - { id: regular, title: Regular, checklist: [tests] }
  - { id: significant, title: Significant, checklist: [tests, reviews-resolved, owner-approval, e2e, record, signoff] }
checklist:
  tests: { kind: command, title: Tests pass, run: "node -e \\"process.exit(0)\\"" }
  reviews-resolved: { kind: reviews-resolved, title: All review comments addressed }
  owner-approval: { kind: approval, title: Final approval from a code owner, from: { codeOwners: true } }
  e2e: { kind: attestation, title: Tested end to end locally }
  record: { kind: change-request, title: Change request, fields: [description, rollback-plan] }
  signoff: { kind: signoff, title: Formal sign-off recorded }
zones:
  auth: { title: Authentication, level: significant, paths: ["src/auth/**"] }
`;

describe('change-control gate, in a pull-request pipeline', function () {
  this.timeout(60_000);
  let world: SignoffWorld;
  let dir: string;

  beforeEach(async () => {
    world = await makeSignoffWorld(POLICY);
    dir = tempDir('cc-gate-');
  });
  afterEach(() => world?.dispose());

  /** The event GitHub Actions writes for pull_request_target, and the variables it sets. */
  const actions = (head = world.head, base = world.base, token = 'tok-dev'): NodeJS.ProcessEnv => {
    const event = path.join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, head: { sha: head, ref: 'feature' }, base: { sha: base, ref: 'main' } } }));
    // GITHUB_SHA is the merge commit on pull_request events: the gate must never use it.
    return { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: REPO, GITHUB_SHA: 'f'.repeat(40), GITHUB_TOKEN: token, GITHUB_API_URL: world.github.url, GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') };
  };
  const signOff = async () => {
    const r = await runCli(world.repo.root, ['signoff', '--repo', REPO, '--yes'], world.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  };
  const gate = (env: NodeJS.ProcessEnv, ...args: string[]) => runCli(world.repo.root, ['gate', ...args], env);
  const json = async (env: NodeJS.ProcessEnv) => {
    const r = await gate(env, '--format', 'json');
    assert.ok(r.stdout, r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as { pass: boolean; level: string; exceptions: string[]; messages: string[]; signoff: unknown }, stderr: r.stderr };
  };

  it('passes a verified sign-off: writes the job summary, and with --status its own commit status', async () => {
    await signOff();
    const env = actions();
    const r = await gate(env, '--status');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^## Change Control gate: ✅ passed — Significant/);
    assert.match(r.stdout, /\*\*Sign-off:\*\* verified — @dev at /);
    assert.equal(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'), r.stdout);
    const status = world.state().statuses.find((s) => s.context === 'change-control');
    assert.equal(status?.state, 'success');
    assert.equal(status?.sha, world.head, 'the head, never GITHUB_SHA');
    const { out } = await json(env);
    assert.deepEqual(out, { pass: true, level: 'significant', exceptions: [], messages: [], signoff: out.signoff });
  });

  it('fails without a sign-off, saying how to get one', async () => {
    const { code, out } = await json(actions());
    assert.equal(code, 1);
    assert.deepEqual(out.exceptions, ['no-signoff']);
    assert.match(out.messages[0], /Significant changes need a sign-off, and [0-9a-f]{7} has none: sign off/);
  });

  it('a forged status by someone who is not a signer fails, even pointing at a real record', async () => {
    await signOff();
    const real = world.state().statuses.find((s) => s.context === 'signoff')!;
    world.github.user('mallory');
    world.state().collaborators.set('mallory', 'write');
    world.github.status(REPO, world.head, { context: 'signoff', state: 'success', description: real.description, targetUrl: real.targetUrl, creator: 'mallory' });
    const { code, out } = await json(actions());
    assert.equal(code, 1);
    assert.ok(out.exceptions.includes('signer-not-allowed'), out.messages.join('\n'));
    assert.ok(out.exceptions.includes('record-edited'), 'the record was written by another person than the status');
    assert.match(out.messages.join('\n'), /@mallory may not sign off: the policy's signers are @dev/);
  });

  it('a record edited after sign-off fails, whether what people read or the machine copy', async () => {
    await signOff();
    const comment = world.state().comments[0];
    const original = comment.body;
    comment.body = original.replace('Rate-limit logins', 'Nothing to see here');
    let { code, out } = await json(actions());
    assert.equal(code, 1);
    assert.deepEqual(out.exceptions, ['record-edited']);
    comment.body = original.replace(/data:v1:([A-Za-z0-9+/]{10})/, 'data:v1:AAAAAAAAAA');
    ({ code, out } = await json(actions()));
    assert.equal(code, 1);
    assert.deepEqual(out.exceptions, ['record-edited']);
  });

  it('a change that grew after sign-off needs a new one: a new head, or a stricter policy on the base', async () => {
    await signOff();
    world.repo.commitFiles({ 'src/auth/session.ts': 'export const ttl = 60;\n' }, 'more');
    world.repo.git('push', '-q');
    const newer = world.repo.git('rev-parse', 'HEAD');
    world.github.push(REPO, newer);
    world.state().pulls.get(7)!.head.sha = newer;
    let { out } = await json(actions(newer));
    assert.deepEqual(out.exceptions, ['no-signoff', 'stale-approval'], 'the approval was of the old head');
    world.github.review(REPO, 7, { user: 'sec', state: 'APPROVED', commitId: newer });
    ({ out } = await json(actions(newer)));
    assert.deepEqual(out.exceptions, ['no-signoff'], out.messages.join('\n'));

    // Back at the signed head, but the base's policy now puts the change at a higher level.
    world.state().pulls.get(7)!.head.sha = world.head;
    world.state().pulls.get(7)!.reviews.pop();
    world.repo.git('checkout', '-q', 'main');
    world.repo.commitFiles({ '.github/change-control.yml': POLICY.replace('  - { id: significant', '  - { id: significant, title: Significant, checklist: [] }\n  - { id: critical').replace('Significant, checklist: [tests, reviews', 'Critical, checklist: [tests, reviews').replace('level: significant, paths', 'level: critical, paths') }, 'stricter policy');
    world.repo.git('push', '-q', 'origin', 'main');
    const base = world.repo.git('rev-parse', 'main');
    ({ out } = await json(actions(world.head, base)));
    assert.deepEqual(out.exceptions, ['level-below-recomputed'], out.messages.join('\n'));
    assert.match(out.messages[0], /signed off as Significant, but it is Critical now/);
  });

  it('a pull request cannot loosen its own policy: the gate reads it from the base', async () => {
    world.repo.commitFiles({ '.github/change-control.yml': 'version: 1\nlevels: [{ id: low, title: Low }]\n' }, 'loosen the policy');
    world.repo.git('push', '-q');
    const head = world.repo.git('rev-parse', 'HEAD');
    world.github.push(REPO, head);
    world.state().pulls.get(7)!.head.sha = head;
    const { code, out } = await json(actions(head));
    assert.equal(code, 1);
    assert.equal(out.level, 'significant');
  });

  it('a status without a change record (gh-signoff, make signoff) is reported as not verifiable', async () => {
    world.github.status(REPO, world.head, { context: 'signoff', state: 'success', description: 'dev signed off', creator: 'dev' });
    const { code, out } = await json(actions());
    assert.equal(code, 1);
    assert.deepEqual(out.exceptions, ['signoff-unverifiable']);
  });

  it('approvals are checked as they are now: a dismissed approval fails; a token that cannot see the team fails closed', async () => {
    await signOff();
    world.github.review(REPO, 7, { user: 'sec', state: 'DISMISSED', commitId: world.head });
    let { out } = await json(actions());
    assert.deepEqual(out.exceptions, ['no-owner-approval']);
    world.state().pulls.get(7)!.reviews.pop();
    // Actions' own token (the workflow's, with its permissions) cannot read team membership.
    world.github.token('tok-actions', 'github-actions[bot]', { app: true, permissions: { contents: 'read', metadata: 'read', pull_requests: 'read', issues: 'read', statuses: 'write' } });
    world.state().collaborators.set('github-actions[bot]', 'write');
    ({ out } = await json(actions(world.head, world.base, 'tok-actions')));
    assert.deepEqual(out.exceptions, ['no-owner-approval']);
    assert.match(out.messages[0], /Cannot tell whether @sec in @acme\/security: the token cannot see the team/);
  });

  it('without an event or --pr, says how to run it', async () => {
    const r = await gate({ GITHUB_TOKEN: 'tok-dev', GITHUB_API_URL: world.github.url });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No pull request: run the gate on a pull_request or pull_request_target event, or give --pr N\./);
  });
});
