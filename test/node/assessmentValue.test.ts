// The Assessment is complete: everything a door shows is computed by the engine. And the changes
// a person or a run makes to evidence are the engine's pure functions, the same for every door.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectRepository } from '../../src/core/change/change';
import { commandToRun, runCommandItem } from '../../src/core/checklist/commandRun';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { attest, declareEmergency, recordRun, setChangeRecordField, withdraw, withdrawEmergency } from '../../src/core/checklist/evidenceEdits';
import { isChangeControlError } from '../../src/core/errors';
import { createGit } from '../../src/node/git';
import { evidencePath, readEvidence, updateEvidence } from '../../src/node/evidenceStore';
import { createRunner } from '../../src/node/runner';
import { assessRepo } from './assessRepo';
import { TestRepo } from './gitRepo';

const POLICY = `
version: 1
levels:
  - { id: low, title: Low, checklist: [tests, record] }
  - { id: high, title: High, checklist: [tests, e2e, announce, approve, record, plan] }
checklist:
  tests: { kind: command, title: Tests, run: "node -e \\"process.exit(0)\\"" }
  e2e: { kind: attestation, title: Tested end to end }
  scoped: { kind: attestation, title: Scoped, covers: [billing] }
  announce: { kind: notification, title: Announce, targets: [deploys] }
  approve: { kind: approval, title: Owner, from: { users: ["@boss"] } }
  record: { kind: change-request, title: Change request, fields: [description, rollback-plan] }
  plan: { kind: change-request, title: Plan, fields: [rollback-plan, deployment-plan] }
  review: { kind: review, title: One reviewer }
zones:
  auth: { title: Authentication, level: high, paths: ["src/auth/**"], checklist: [scoped] }
  billing: { title: Billing, level: low, paths: ["src/billing/**"] }
notify:
  deploys: { title: "#deployments", kind: slack, secret: DEPLOYS_WEBHOOK, on: [before-deploy] }
emergency:
  checklist: [review]
  postReview: { within: 48h, checklist: [] }
`;

const actor = { by: 'Dana <dana@example.com>', at: new Date('2026-11-21T10:00:00Z') };

describe('the Assessment a door shows', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));
  const make = () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    return repo;
  };

  it('gives each file its level, and each zone that fired its title and level', async () => {
    const repo = make();
    repo.write('src/auth/login.ts', 'x\n');
    repo.write('src/billing/pay.ts', 'x\n');
    repo.write('docs/guide.md', 'x\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    const level = Object.fromEntries(a.files.map((f) => [f.path, f.level.id]));
    assert.deepEqual(level, { 'docs/guide.md': 'low', 'src/auth/login.ts': 'high', 'src/billing/pay.ts': 'low' });
    assert.deepEqual(a.files.find((f) => f.path === 'src/auth/login.ts')!.level, { id: 'high', title: 'High', index: 1 });
    assert.deepEqual(a.zones, [
      { id: 'auth', title: 'Authentication', level: 'high' },
      { id: 'billing', title: 'Billing', level: 'low' },
    ]);
    const reason = a.reasons.find((r) => r.id === 'auth')!;
    assert.equal(reason.levelTitle, 'High');
    assert.equal(reason.label, 'Authentication');
  });

  it('says who confirms each entry, what an attestation covers, the record fields, and the progress', async () => {
    const repo = make();
    repo.write('src/auth/login.ts', 'x\n');
    const a = await assessRepo(repo.root, { policyText: POLICY, evidence: { ...emptyEvidence(), changeRecord: { 'rollback-plan': '  Revert the deploy.  ' } } });
    const by = Object.fromEntries(a.checklist.map((c) => [c.id, [c.confirmedBy, c.attestable]]));
    assert.deepEqual(by, {
      tests: ['command', false],
      e2e: ['person', true],
      announce: ['person', true],
      approve: ['github', false],
      record: ['person', false],
      plan: ['person', false],
      scoped: ['person', true],
    });
    assert.deepEqual(a.checklist.find((c) => c.id === 'e2e')!.covers, ['auth'], 'default: the zones that fired');
    assert.deepEqual(a.checklist.find((c) => c.id === 'scoped')!.covers, ['billing'], 'the item says what it covers');
    assert.equal(a.checklist.find((c) => c.id === 'tests')!.command, 'node -e "process.exit(0)"');
    // Fields of both change-request items, once each, in order, with their (trimmed) values.
    assert.deepEqual(a.changeRecord, [
      { id: 'description', title: 'Description of the change', value: '' },
      { id: 'rollback-plan', title: 'Rollback plan', value: 'Revert the deploy.' },
      { id: 'deployment-plan', title: 'Deployment plan', value: '' },
    ]);
    assert.deepEqual(a.progress, { required: 7, done: 0, open: 7, complete: false });
    assert.deepEqual(a.emergencyPath, { title: 'Emergency', reviewWithin: '48h' });
  });
});

describe('evidence edits: the same functions for every door', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  async function setUp() {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    const head = repo.commitFiles({ 'src/auth/login.ts': 'x\n' });
    return { repo, head, a: await assessRepo(repo.root, { policyText: POLICY }) };
  }

  it('attest records who, when, at which commit and the covered zones; withdraw removes it', async () => {
    const { repo, head, a } = await setUp();
    const e = attest(emptyEvidence(), a, 'e2e', actor);
    assert.deepEqual(e.attestations.e2e, { by: actor.by, at: '2026-11-21T10:00:00.000Z', commit: head, zones: ['auth'] });
    const after = await assessRepo(repo.root, { policyText: POLICY, evidence: e });
    assert.equal(after.checklist.find((c) => c.id === 'e2e')!.state, 'done');
    assert.equal(withdraw(e, a, 'e2e').attestations.e2e, undefined);
    const told = attest(emptyEvidence(), a, 'announce', actor);
    assert.deepEqual(told.notifications.announce, { by: actor.by, at: '2026-11-21T10:00:00.000Z' });
    assert.deepEqual(withdraw(told, a, 'announce').notifications, {});
  });

  it('refuses, with a sentence that says what to do, what a person cannot confirm', async () => {
    const { a } = await setUp();
    const refused = (f: () => unknown, pattern: RegExp) =>
      assert.throws(f, (err: unknown) => isChangeControlError(err) && pattern.test(err.message));
    refused(() => attest(emptyEvidence(), a, 'tests', actor), /cannot be confirmed by hand: run it instead \(`node -e/);
    refused(() => attest(emptyEvidence(), a, 'approve', actor), /read from the pull request on GitHub/);
    refused(() => attest(emptyEvidence(), a, 'record', actor), /fill in its change-record fields/);
    refused(() => attest(emptyEvidence(), a, 'nope', actor), /"nope" is not on this change's checklist \(High\)\. Items: tests, e2e/);
    refused(() => setChangeRecordField(emptyEvidence(), a, 'rollbak-plan', 'x'), /not a field of this change's record\. Fields: description, rollback-plan, deployment-plan/);
    refused(() => declareEmergency(emptyEvidence(), ' no ', actor), /too short/);
  });

  it('sets, trims and clears change-record fields; declares and withdraws the emergency', async () => {
    const { repo, a } = await setUp();
    let e = setChangeRecordField(emptyEvidence(), a, 'description', '  Rate-limit logins\n');
    assert.equal(e.changeRecord.description, 'Rate-limit logins');
    e = setChangeRecordField(e, a, 'description', '   ');
    assert.equal(Object.hasOwn(e.changeRecord, 'description'), false);
    e = declareEmergency(e, '  Checkout is down  ', actor);
    assert.deepEqual(e.emergency, { declaredAt: '2026-11-21T10:00:00.000Z', by: actor.by, reason: 'Checkout is down' });
    const emergency = await assessRepo(repo.root, { policyText: POLICY, evidence: e });
    assert.deepEqual(emergency.checklist.map((c) => c.id), ['review', 'scoped'], 'the emergency checklist replaces the level’s; the zone’s item stays');
    assert.equal(emergency.emergency?.reviewDue, '2026-11-23T10:00:00.000Z');
    assert.equal(withdrawEmergency(e).emergency, undefined);
  });

  it('edits never lose fields another version recorded, in memory or in the store', async () => {
    const { repo, a } = await setUp();
    const newer = { ...emptyEvidence(), version: 2, gate: { by: 'octocat', sha: 'f'.repeat(40) }, attestations: { e2e: { by: 'x', at: '2026-11-20T00:00:00Z', commit: null, zones: [], witness: 'kept' } } } as Evidence;
    const edited = setChangeRecordField(attest(newer, a, 'announce', actor), a, 'description', 'Why');
    assert.deepEqual((edited as Record<string, unknown>).gate, { by: 'octocat', sha: 'f'.repeat(40) });
    const state = await inspectRepository(createGit(repo.root));
    mkdirSync(path.dirname(evidencePath(state)), { recursive: true });
    writeFileSync(evidencePath(state), JSON.stringify(newer));
    await updateEvidence(state, (e) => setChangeRecordField(e, a, 'description', 'Why'));
    const stored = JSON.parse(readFileSync(evidencePath(state), 'utf8'));
    assert.equal(stored.version, 2, 'a newer version number is kept');
    assert.deepEqual(stored.gate, { by: 'octocat', sha: 'f'.repeat(40) });
    assert.equal(stored.attestations.e2e.witness, 'kept');
    assert.equal(stored.changeRecord.description, 'Why');
    assert.equal((await readEvidence(state)).warning, undefined);
  });
});

describe('running a command item', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  async function withCommand(run: string) {
    const repo = TestRepo.create();
    repos.push(repo);
    const policy = POLICY.replace(`run: "node -e \\"process.exit(0)\\""`, `run: ${JSON.stringify(run)}`);
    repo.commitFiles({ 'README.md': 'x\n', '.gitignore': 'out.txt\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    const head = repo.commitFiles({ 'src/a.ts': 'x\n' });
    const a = await assessRepo(repo.root, { policyText: policy });
    return { repo, head, policy, a, git: createGit(repo.root) };
  }

  it('streams the output, and a finished run records its exit code, commit, duration and whether the tree was clean', async () => {
    const { repo, head, policy, a, git } = await withCommand('node -e "console.log(\'one\'); console.log(\'two\'); process.exit(3)"');
    const lines: string[] = [];
    const outcome = await runCommandItem({ git, runner: createRunner(), cwd: repo.root, assessment: a, itemId: 'tests', onLine: (l) => lines.push(l) });
    assert.equal(outcome.kind, 'finished');
    assert.ok(outcome.kind === 'finished');
    assert.deepEqual(lines, ['one', 'two']);
    assert.equal(outcome.run.exitCode, 3);
    assert.equal(outcome.run.commit, head);
    assert.equal(outcome.run.dirty, false);
    assert.ok(typeof outcome.run.durationMs === 'number' && outcome.run.durationMs >= 0);
    const failed = await assessRepo(repo.root, { policyText: policy, evidence: recordRun(emptyEvidence(), 'tests', outcome.run) });
    assert.equal(failed.checklist.find((c) => c.id === 'tests')!.state, 'failed');
    repo.write('src/dirty.ts', 'y\n');
    const dirty = await runCommandItem({ git, runner: createRunner(), cwd: repo.root, assessment: a, itemId: 'tests' });
    assert.ok(dirty.kind === 'finished' && dirty.run.dirty, 'uncommitted work is noted');
  });

  it('a command that cannot start records nothing and says so', async () => {
    const { repo, a, git } = await withCommand('no-such-test-runner-xyz --all');
    const outcome = await runCommandItem({ git, runner: createRunner(), cwd: repo.root, assessment: a, itemId: 'tests' });
    assert.equal(outcome.kind, 'not-started');
    assert.ok(outcome.kind === 'not-started');
    assert.match(outcome.message, /"no-such-test-runner-xyz --all" could not start \(.*not found.*\).*Nothing was recorded\./);
  });

  it('cancel ends the whole process group and records nothing', async () => {
    // The shell starts a child that would write a file after 3 s: cancelling must end it too.
    const { repo, a, git } = await withCommand('node -e "setTimeout(() => require(\'fs\').writeFileSync(\'out.txt\', \'late\'), 3000)"; echo done');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const outcome = await runCommandItem({ git, runner: createRunner(), cwd: repo.root, assessment: a, itemId: 'tests', signal: controller.signal });
    assert.equal(outcome.kind, 'cancelled');
    assert.ok(Date.now() - started < 2500, 'it did not wait for the command');
    await new Promise((r) => setTimeout(r, 3300));
    assert.throws(() => readFileSync(`${repo.root}/out.txt`), /ENOENT/, 'the child process was ended with its shell');
  });

  it('a command that ignores SIGTERM is killed once the grace period is over', async () => {
    // A test runner that traps TERM (some do, to clean up) must not keep a cancelled run alive.
    const { repo, a, git } = await withCommand(`node -e "process.on('SIGTERM', () => {}); setTimeout(() => require('fs').writeFileSync('out.txt', 'late'), 4000)"`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const outcome = await runCommandItem({ git, runner: createRunner(process.env, { killAfterMs: 300 }), cwd: repo.root, assessment: a, itemId: 'tests', signal: controller.signal });
    assert.equal(outcome.kind, 'cancelled');
    await new Promise((r) => setTimeout(r, 4300));
    assert.throws(() => readFileSync(`${repo.root}/out.txt`), /ENOENT/, 'the process that ignored SIGTERM was killed');
  });

  it('names what is wrong when the item is not a runnable command', async () => {
    const { a } = await withCommand('npm test');
    assert.throws(() => commandToRun(a, 'record'), /"Change request" \(record\) is not a command item: nothing to run\./);
    assert.equal(commandToRun(a, 'tests').command, 'npm test');
  });
});

describe('an approval from code owners', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));
  const significant = async (files: Record<string, string>) => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n', ...files }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/auth/session.ts', 'x\n');
    const a = await assessRepo(repo.root, { preset: 'two-tier' });
    return a.checklist.find((c) => c.id === 'owner-approval')!;
  };

  it('says it can never be met when the base has no CODEOWNERS, and how to fix it', async () => {
    const entry = await significant({});
    assert.equal(entry.state, 'failed');
    assert.match(entry.why, /^No CODEOWNERS file on the base \(\.github\/CODEOWNERS, CODEOWNERS, docs\/CODEOWNERS\), so no code owner can approve: add one/);
  });

  it('waits for GitHub when the base has one, wherever GitHub looks, naming the owners of the changed files', async () => {
    for (const file of ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']) {
      const entry = await significant({ [file]: '* @octocat\n' });
      assert.equal(entry.state, 'pending', file);
      assert.match(entry.why, /^Needs approval from a code owner of .* \(@octocat\) on the pull request; read from GitHub at sign-off\.$/, file);
      assert.deepEqual(entry.approvals?.map((a) => a.who), [['@octocat']], file);
    }
  });
});
