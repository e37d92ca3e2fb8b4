import assert from 'node:assert/strict';
import { evaluateChecklist, type ChecklistInput } from '../../src/core/checklist/evaluate';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { parseDuration } from '../../src/core/checklist/duration';
import { parsePolicyText } from '../../src/core/policy/load';
import { activeFreeze } from '../../src/core/rules/freeze';

const { policy } = parsePolicyText(
  `
version: 1
levels:
  - { id: low, title: Low, checklist: [tests, e2e, record, announce, approve, resolved] }
checklist:
  tests: { kind: command, title: Tests, run: npm test }
  e2e: { kind: attestation, title: E2E }
  record: { kind: change-request, title: CR, fields: [description, rollback-plan] }
  announce: { kind: notification, title: Announce, targets: [deploys] }
  approve: { kind: approval, title: Owner, from: { users: ["@boss"] } }
  resolved: { kind: reviews-resolved, title: Resolved }
  zone-extra: { kind: attestation, title: Zone extra, required: false }
zones:
  auth: { title: Auth, level: low, paths: ["auth/**"], checklist: [zone-extra] }
notify:
  deploys: { title: "#deployments", kind: slack, secret: DEPLOYS_WEBHOOK, on: [before-deploy] }
freeze:
  - { title: Year end, from: 2026-12-20, until: 2027-01-02, mode: emergency-only }
  - { title: Migration day, from: "2026-11-10T08:00:00Z", until: "2026-11-10T12:00:00Z", mode: block }
`,
  'p.yml',
);

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

function evaluate(evidence: Partial<Evidence> = {}, extra: Partial<ChecklistInput> = {}) {
  const entries = evaluateChecklist({
    policy,
    levelId: 'low',
    zones: [],
    migrationsBeyond: false,
    evidence: { ...emptyEvidence(), ...evidence },
    headSha: HEAD,
    dirty: false,
    zonesChangedSince: new Map(),
    freeze: null,
    now: new Date('2026-11-21T00:00:00Z'),
    files: [],
    ...extra,
  });
  return Object.fromEntries(entries.map((e) => [e.id, e]));
}

describe('checklist evaluation', () => {
  it('everything is pending without evidence, each saying why', () => {
    const c = evaluate();
    for (const id of ['tests', 'e2e', 'record', 'announce', 'approve', 'resolved']) {
      assert.equal(c[id].state, 'pending', id);
      assert.ok(c[id].why.length > 10, id);
    }
    assert.match(c.tests.why, /run `npm test`/);
    assert.match(c.approve.why, /approval from @boss/);
    assert.match(c.announce.why, /#deployments/);
  });

  it('a command passed at HEAD on a clean tree is done; failed is failed; an older run is pending', () => {
    const run = (commit: string, exitCode: number, dirty = false) => ({ commands: { tests: { exitCode, at: '2026-11-20T00:00:00Z', commit, dirty, command: 'npm test' } } });
    assert.equal(evaluate(run(HEAD, 0)).tests.state, 'done');
    assert.equal(evaluate(run(HEAD, 1)).tests.state, 'failed');
    assert.equal(evaluate(run(OLD, 0)).tests.state, 'pending');
    assert.equal(evaluate(run(HEAD, 0, true)).tests.state, 'pending', 'a run with uncommitted changes proves nothing about the commit');
    assert.equal(evaluate(run(HEAD, 0), { dirty: true }).tests.state, 'pending', 'uncommitted changes since the run');
  });

  it('an attestation is done, or stale when later commits touched its zones', () => {
    const attestations = { e2e: { by: 'dev', at: '2026-11-20T00:00:00Z', commit: OLD, zones: ['auth'] } };
    assert.equal(evaluate({ attestations }).e2e.state, 'done');
    const stale = evaluate({ attestations }, { zonesChangedSince: new Map([['e2e', ['auth']]]) }).e2e;
    assert.equal(stale.state, 'pending');
    assert.equal(stale.stale, true);
    assert.match(stale.why, /later changes touched auth/);
  });

  it('a change request lists the fields still missing', () => {
    assert.deepEqual(evaluate({ changeRecord: { description: 'x', 'rollback-plan': '  ' } }).record.missingFields, ['rollback-plan']);
    assert.equal(evaluate({ changeRecord: { description: 'x', 'rollback-plan': 'revert' } }).record.state, 'done');
  });

  it('reads approvals and review threads from the pull request when a door read them', () => {
    const reviewer = { login: 'Boss', state: 'approved' as const, commit: HEAD, submittedAt: '2026-11-20T00:00:00Z', url: 'https://github.com/a/b/pull/1#r1', canWrite: true, teams: {} };
    const thread = (resolved: boolean, outdated: boolean, n: number) => ({ path: 'auth/login.ts', line: n, url: `https://github.com/a/b/pull/1#t${n}`, resolved, outdated, author: 'boss' });
    const pullRequest = { number: 1, url: 'https://github.com/a/b/pull/1', author: 'dev', headSha: HEAD, headRef: 'feature', baseRef: 'main', reviewers: [reviewer], threads: [thread(true, false, 1), thread(false, true, 2), thread(false, false, 3)] };
    const c = evaluate({}, { pullRequest });
    assert.equal(c.approve.state, 'done');
    assert.deepEqual(c.approve.approvals?.map((a) => a.approvedBy), [['@Boss']]);
    assert.equal(c.resolved.state, 'pending');
    assert.match(c.resolved.why, /^2 review threads are not resolved \(outdated ones count too\): resolve them on the pull request: auth\/login.ts:2 \(outdated\) https:\/\/github.com\/a\/b\/pull\/1#t2, auth\/login.ts:3 https:\/\/github.com\/a\/b\/pull\/1#t3\.$/);
    assert.deepEqual(c.resolved.threads?.map((t) => [t.line, t.outdated]), [[2, true], [3, false]]);
  });

  it('without GitHub at hand, a sign-off of this very commit stands for the approvals and threads it verified', () => {
    const signoff = { by: 'octocat', at: '2026-11-20T10:00:00Z', commit: HEAD, level: 'low', levelTitle: 'Low', emergency: false, digest: '3f2a9c1d', repository: 'a/b', pullRequest: 1, url: 'https://github.com/a/b/pull/1#issuecomment-1', context: 'signoff' };
    const c = evaluate({ signoff });
    assert.equal(c.approve.state, 'done');
    assert.match(c.approve.why, /^Verified on GitHub when @octocat signed off aaaaaaa/);
    assert.equal(c.resolved.state, 'done');
    assert.equal(evaluate({ signoff: { ...signoff, commit: OLD } }).approve.state, 'pending', 'a sign-off of another commit vouches for nothing');
    assert.equal(evaluate({ signoff }, { dirty: true }).approve.state, 'pending');
  });

  it('zones add their own items', () => {
    const c = evaluate({}, { zones: ['auth'] });
    assert.equal(c['zone-extra'].source, 'zone:auth');
    assert.equal(c['zone-extra'].required, false);
  });

  it('a freeze window gates the change unless the emergency path is declared', () => {
    const freeze = activeFreeze(policy.freeze, new Date('2027-01-02T23:00:00Z'));
    assert.equal(freeze?.title, 'Year end', 'a plain until date includes the whole day');
    assert.equal(evaluate({}, { freeze }).freeze.state, 'failed');
    const emergency = { emergency: { declaredAt: '2027-01-01T00:00:00Z', by: 'dev', reason: 'P1' } };
    assert.equal(evaluate(emergency, { freeze }).freeze.state, 'done');
    const block = activeFreeze(policy.freeze, new Date('2026-11-10T09:00:00Z'));
    assert.equal(block?.mode, 'block');
    assert.equal(evaluate(emergency, { freeze: block }).freeze.state, 'failed', 'a blocking freeze blocks emergencies too');
    assert.equal(activeFreeze(policy.freeze, new Date('2026-11-10T12:00:01Z')), null);
  });

  it('parses durations', () => {
    assert.equal(parseDuration('48h'), 48 * 3600_000);
    assert.equal(parseDuration('2d'), 2 * 86_400_000);
    assert.equal(parseDuration('90m'), 90 * 60_000);
    assert.throws(() => parseDuration('soon'));
  });
});

describe('run: auto', () => {
  const tree = (files: Record<string, string>) => ({ readFile: async (p: string) => (p in files ? Buffer.from(files[p]) : undefined) });
  it('finds the test command of each kind of project', async () => {
    const { detectTestCommand } = await import('../../src/core/checklist/testCommand');
    assert.equal(await detectTestCommand(tree({ 'package.json': '{"scripts":{"test":"mocha"}}' })), 'npm test');
    assert.equal(await detectTestCommand(tree({ 'package.json': '{"scripts":{"test":"jest"}}', 'pnpm-lock.yaml': '' })), 'pnpm test');
    assert.equal(await detectTestCommand(tree({ 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}', 'Makefile': 'test:\n\tgo test\n' })), 'make test');
    assert.equal(await detectTestCommand(tree({ 'mix.exs': '' })), 'mix test');
    assert.equal(await detectTestCommand(tree({ 'go.mod': '' })), 'go test ./...');
    assert.equal(await detectTestCommand(tree({ 'pyproject.toml': '' })), 'pytest');
    assert.equal(await detectTestCommand(tree({})), undefined);
  });
  it('says how to set it when nothing is found', () => {
    const { policy: p } = parsePolicyText('version: 1\nlevels: [{id: a, title: A, checklist: [t]}]\nchecklist:\n  t: {kind: command, title: T, run: auto}\n', 'p.yml');
    const [entry] = evaluateChecklist({ policy: p, levelId: 'a', zones: [], migrationsBeyond: false, evidence: emptyEvidence(), headSha: HEAD, dirty: false, zonesChangedSince: new Map(), freeze: null, now: new Date(), files: [] });
    assert.match(entry.why, /set `run:` on this item/);
  });
});
