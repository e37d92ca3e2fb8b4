// The whole checklist from the terminal: `check --run`, `attest`, `record`, `emergency`, as a
// user runs them (the built CLI, real processes, real repositories), and the evidence they leave
// in .git/change-control/ — the same record the editor writes through the same engine functions.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectRepository } from '../../src/core/change/change';
import { runCommandItem } from '../../src/core/checklist/commandRun';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { attest, declareEmergency, recordRun, setChangeRecordField } from '../../src/core/checklist/evidenceEdits';
import { evidencePath } from '../../src/node/evidenceStore';
import { createGit } from '../../src/node/git';
import { gitIdentity } from '../../src/node/identity';
import { createRunner } from '../../src/node/runner';
import { assessRepo } from './assessRepo';
import { TestRepo, tempDir } from './gitRepo';

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(cwd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input: options.input ?? '', env: { ...process.env, NO_COLOR: '1', ...options.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A policy with the given command items and an attestation, a notification and a change request on one level. */
function policy(commands: Record<string, string>): string {
  const items = Object.entries(commands).map(([id, cmd]) => `  ${id}: { kind: command, title: "Command ${id}", run: ${JSON.stringify(cmd)} }`);
  return [
    'version: 1',
    'levels:',
    `  - { id: low, title: Low, checklist: [${[...Object.keys(commands), 'e2e', 'told', 'cr'].join(', ')}] }`,
    '  - { id: high, title: High, checklist: [e2e] }',
    'checklist:',
    ...items,
    '  e2e: { kind: attestation, title: Tested end to end }',
    '  told: { kind: notification, title: Deploy announced, targets: [deploys] }',
    '  cr: { kind: change-request, title: Change request, fields: [description, deployment-plan] }',
    'notify:',
    '  deploys: { title: "#deploys", kind: slack, secret: DEPLOYS_WEBHOOK, on: [before-deploy] }',
    '',
  ].join('\n');
}

/** A committed repository on branch `feature` with this policy: a clean tree, so a passing run completes its item. */
function repoWith(policyText: string): TestRepo {
  const repo = TestRepo.create();
  repo.commitFiles({ 'README.md': 'x\n', '.change-control.yml': policyText }, 'base');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commitFiles({ 'src/app.ts': 'export {}\n' }, 'feature work');
  return repo;
}

function evidenceFile(repo: TestRepo): string {
  return path.join(repo.root, '.git', 'change-control', 'branch-feature.json');
}

function storedEvidence(repo: TestRepo): Evidence | undefined {
  const file = evidenceFile(repo);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Evidence) : undefined;
}

function checklistState(repo: TestRepo, extra: string[] = []): Record<string, string> {
  const r = run(repo.root, ['check', '--format', 'json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return Object.fromEntries((JSON.parse(r.stdout).checklist as { id: string; state: string }[]).map((c) => [c.id, c.state]));
}

describe('the CLI checklist commands', () => {
  const repos: TestRepo[] = [];
  const make = (policyText: string) => {
    const r = repoWith(policyText);
    repos.push(r);
    return r;
  };
  after(() => repos.forEach((r) => r.dispose()));
  before(() => assert.ok(existsSync(CLI), 'dist/cli.js is built (npm run build)'));

  describe('check --run', () => {
    it('runs a command item that is not done, records the run at HEAD, and the item is done', () => {
      const repo = make(policy({ unit: 'node -e "console.log(\'all 3 passed\')"' }));
      const r = run(repo.root, ['check', '--run', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout); // stdout stays pure JSON: progress went to stderr
      assert.equal(json.checklist.find((c: { id: string }) => c.id === 'unit').state, 'done');
      assert.match(r.stderr, /^▶ Command unit \(unit\): node -e /m);
      assert.match(r.stderr, /│ all 3 passed/, 'the command output is streamed');
      const recorded = storedEvidence(repo)?.commands.unit;
      assert.equal(recorded?.exitCode, 0);
      assert.equal(recorded?.commit, repo.git('rev-parse', 'HEAD'));
      assert.equal(recorded?.dirty, false);
      assert.equal(recorded?.command, 'node -e "console.log(\'all 3 passed\')"');
      // Done now: a second --run has nothing to run.
      const again = run(repo.root, ['check', '--run']);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /^Nothing to run: every command item is done\.\n\nChange Control: Low/);
    });

    it('with --format text the progress comes first on stdout, then the assessment', () => {
      const repo = make(policy({ unit: 'node -e "process.exit(0)"' }));
      const r = run(repo.root, ['check', '--run']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^▶ Command unit \(unit\): node -e "process\.exit\(0\)"\n✓ Command unit: passed \(\d+\.\ds\); recorded at [0-9a-f]{7}\.\n\nChange Control: Low\n/);
      assert.match(r.stdout, /✓ Command unit\n {6}Passed at /);
      assert.equal(r.stderr, '');
    });

    it('a failing command is recorded as failed, and the CLI exits 1', () => {
      const repo = make(policy({ unit: 'node -e "process.exit(3)"' }));
      const r = run(repo.root, ['check', '--run', '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(JSON.parse(r.stdout).checklist.find((c: { id: string }) => c.id === 'unit').state, 'failed');
      assert.match(r.stderr, /✗ Command unit: failed with exit code 3/);
      assert.equal(storedEvidence(repo)?.commands.unit.exitCode, 3);
    });

    it('a command that cannot start records nothing, says so, and the CLI exits 1; the next item still runs', () => {
      const repo = make(policy({ lint: 'nosuchcommand-xyz --all', unit: 'node -e "process.exit(0)"' }));
      const r = run(repo.root, ['check', '--run']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /✗ "nosuchcommand-xyz --all" could not start \(.*not found\): install what it needs or set `run:` on "lint" in the policy\. Nothing was recorded\./);
      const commands = storedEvidence(repo)?.commands ?? {};
      assert.deepEqual(Object.keys(commands), ['unit']);
      assert.equal(checklistState(repo).lint, 'pending');
    });

    it('Ctrl-C ends the running command, records nothing, and exits 130', async function () {
      this.timeout(30_000);
      const pidFile = path.join(tempDir('cc-pid-'), 'pid');
      const repo = make(policy({ slow: 'node slow.js' }));
      repo.commitFiles({ 'slow.js': "require('fs').writeFileSync(process.env.PID_FILE, String(process.pid));\nsetTimeout(() => {}, 60000);\n" }, 'slow suite');
      const child = spawn(process.execPath, [CLI, 'check', '--run', '--format', 'json'], { cwd: repo.root, env: { ...process.env, NO_COLOR: '1', PID_FILE: pidFile } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await until(() => stderr.includes('▶ Command slow (slow): node slow.js') && existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 15_000);
      const commandPid = Number(readFileSync(pidFile, 'utf8'));
      child.kill('SIGINT');
      const code = await exited;
      assert.equal(code, 130, stderr);
      assert.match(stderr, /Command slow: cancelled; nothing was recorded for it\./);
      assert.equal(stdout, '', 'an interrupted check prints no assessment');
      assert.equal(storedEvidence(repo)?.commands.slow, undefined);
      await until(() => !alive(commandPid), 5_000);
    });

    it('is refused with --head: runs are recorded against the working tree HEAD', () => {
      const repo = make(policy({ unit: 'node -e "process.exit(0)"' }));
      const r = run(repo.root, ['check', '--run', '--head', 'HEAD']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^change-control: --run cannot be used with --head/);
      assert.equal(storedEvidence(repo), undefined);
    });

    it('an unknown --fail-on level is refused before anything runs', () => {
      const repo = make(policy({ unit: 'node -e "process.exit(0)"' }));
      const r = run(repo.root, ['check', '--run', '--fail-on', 'hihg']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--fail-on hihg: the policy has no such level\. Did you mean "high"\?/);
      assert.equal(storedEvidence(repo), undefined);
    });

    it('a pass over uncommitted changes is recorded as such, and the item stays open saying why', () => {
      const repo = make(policy({ unit: 'node -e "process.exit(0)"' }));
      repo.write('src/wip.ts', 'export {}\n');
      const r = run(repo.root, ['check', '--run', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(storedEvidence(repo)?.commands.unit.dirty, true);
      assert.match(r.stderr, /"Command unit" passed, but the item stays open: Passed on uncommitted changes: commit, then run it again\./);
    });
  });

  describe('attest', () => {
    it('confirms an item at HEAD as git user.name <user.email>; --withdraw makes it pending again', () => {
      const repo = make(policy({ unit: 'node -e "process.exit(0)"' }));
      const head = repo.git('rev-parse', 'HEAD');
      const r = run(repo.root, ['attest', 'e2e']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `Confirmed "Tested end to end" (e2e) as Dev <dev@example.com> at ${head.slice(0, 7)}.\n`);
      assert.equal(checklistState(repo).e2e, 'done');
      const att = storedEvidence(repo)?.attestations.e2e;
      assert.equal(att?.by, 'Dev <dev@example.com>');
      assert.equal(att?.commit, head);

      const w = run(repo.root, ['attest', 'e2e', '--withdraw']);
      assert.equal(w.code, 0, w.stderr);
      assert.equal(w.stdout, 'Withdrew "Tested end to end" (e2e).\n');
      assert.equal(checklistState(repo).e2e, 'pending');
      assert.equal(run(repo.root, ['attest', 'e2e', '--withdraw']).stdout, '"Tested end to end" (e2e) was not confirmed: nothing to withdraw.\n');
    });

    it('confirms a notification the same way', () => {
      const repo = make(policy({}));
      assert.equal(run(repo.root, ['attest', 'told']).code, 0);
      assert.equal(checklistState(repo).told, 'done');
      assert.equal(storedEvidence(repo)?.notifications.told.by, 'Dev <dev@example.com>');
    });

    it('refuses a command item (run it instead), an unknown item, and a missing one: exit 2, nothing recorded', () => {
      const repo = make(policy({ unit: 'npm test' }));
      const cmd = run(repo.root, ['attest', 'unit']);
      assert.equal(cmd.code, 2);
      assert.equal(cmd.stderr, 'change-control: "Command unit" (unit) cannot be confirmed by hand: run it instead (`npm test`).\n');
      const unknown = run(repo.root, ['attest', 'e2d']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^change-control: "e2d" is not on this change's checklist \(Low\)\. Items: unit, e2e, told, cr\.\n$/);
      const cr = run(repo.root, ['attest', 'cr']);
      assert.equal(cr.code, 2);
      assert.match(cr.stderr, /fill in its change-record fields instead/);
      const none = run(repo.root, ['attest']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /attest: name the checklist item to confirm\. Run `change-control attest --help`/);
      assert.equal(storedEvidence(repo), undefined);
    });
  });

  describe('record', () => {
    it('sets a field from the argument, and `record` shows the fields', () => {
      const repo = make(policy({}));
      const r = run(repo.root, ['record', 'set', 'description', 'Rotate the signing keys']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'Set "Description of the change" (description) in the change record.\n');
      assert.equal(storedEvidence(repo)?.changeRecord.description, 'Rotate the signing keys');
      const show = run(repo.root, ['record']);
      assert.equal(show.code, 0, show.stderr);
      assert.equal(
        show.stdout,
        'Change record for feature (Low): 1 of 2 fields filled in.\n\nDescription of the change (description):\n  Rotate the signing keys\n\nDeployment plan (deployment-plan):\n  (missing)\n',
      );
      assert.equal(run(repo.root, ['record', 'show']).stdout, show.stdout);
    });

    it('sets a multi-line field from stdin (no value, or -), and from --file', () => {
      const repo = make(policy({}));
      const piped = run(repo.root, ['record', 'set', 'deployment-plan'], { input: '1. Deploy the API\n2. Flip the flag\n' });
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal(piped.stdout, 'Set "Deployment plan" (deployment-plan) in the change record (2 lines).\n');
      assert.equal(storedEvidence(repo)?.changeRecord['deployment-plan'], '1. Deploy the API\n2. Flip the flag');
      assert.equal(run(repo.root, ['record', 'set', 'description', '-'], { input: 'From a pipe\n' }).code, 0);
      assert.equal(storedEvidence(repo)?.changeRecord.description, 'From a pipe');

      const dir = tempDir('cc-plan-');
      writeFileSync(path.join(dir, 'plan.md'), '# Plan\n\nStep one\n');
      const fromFile = run(repo.root, ['record', 'set', 'deployment-plan', '--file', path.join(dir, 'plan.md')]);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.equal(storedEvidence(repo)?.changeRecord['deployment-plan'], '# Plan\n\nStep one');
      assert.equal(checklistState(repo).cr, 'done');
    });

    it('an empty value clears the field', () => {
      const repo = make(policy({}));
      run(repo.root, ['record', 'set', 'description', 'Something']);
      const r = run(repo.root, ['record', 'set', 'description', '']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'Cleared "Description of the change" (description) in the change record.\n');
      assert.deepEqual(storedEvidence(repo)?.changeRecord, {});
      assert.match(run(repo.root, ['record']).stdout, /Description of the change \(description\):\n {2}\(missing\)/);
    });

    it('a field the checklist does not ask for, or a missing file, is exit 2 and stores nothing', () => {
      const repo = make(policy({}));
      const r = run(repo.root, ['record', 'set', 'rollback-plan', 'x']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'change-control: "rollback-plan" is not a field of this change\'s record. Fields: description, deployment-plan.\n');
      const file = run(repo.root, ['record', 'set', 'description', '--file', 'nope.md']);
      assert.equal(file.code, 2);
      assert.match(file.stderr, /--file nope\.md: cannot be read \(ENOENT\)/);
      const both = run(repo.root, ['record', 'set', 'description', 'x', '--file', 'nope.md']);
      assert.equal(both.code, 2);
      assert.match(both.stderr, /give a VALUE or --file PATH, not both/);
      const typo = run(repo.root, ['record', 'sett', 'description', 'x']);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, /record sett: unknown subcommand\. Did you mean "set"\?/);
      assert.equal(storedEvidence(repo), undefined);
    });
  });

  describe('emergency', () => {
    const significant = () => {
      const repo = TestRepo.create();
      repos.push(repo);
      repo.commitFiles({ 'README.md': 'x\n' }, 'base');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.commitFiles({ 'src/auth/login.ts': 'export {}\n' }, 'hotfix');
      return repo;
    };
    const ids = (repo: TestRepo) => Object.keys(checklistState(repo));

    it('declare: the checklist is the emergency checklist of the preset, with who and why recorded', () => {
      const repo = significant();
      assert.deepEqual(ids(repo), ['tests', 'reviews-resolved', 'owner-approval', 'e2e-local', 'signoff', 'post-review']);
      const r = run(repo.root, ['emergency', 'declare', '--reason', 'Checkout is down for EU customers']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^Emergency declared for feature by Dev <dev@example\.com>\. The Emergency checklist replaces the Significant checklist; the post-implementation review is due by \d{4}-\d\d-\d\dT[\d:.]+Z \(within 48h\)\.\n$/,
      );
      assert.deepEqual(ids(repo), ['reviewer', 'notify-owner', 'documented', 'post-review']);
      const recorded = storedEvidence(repo)?.emergency;
      assert.equal(recorded?.reason, 'Checkout is down for EU customers');
      assert.equal(recorded?.by, 'Dev <dev@example.com>');
      assert.match(run(repo.root, ['check']).stdout, /Emergency change declared by Dev <dev@example\.com>: Checkout is down for EU customers/);
    });

    it('a reason too short, or none, is exit 2 and declares nothing', () => {
      const repo = significant();
      const short = run(repo.root, ['emergency', 'declare', '--reason', 'ugh']);
      assert.equal(short.code, 2);
      assert.equal(short.stderr, 'change-control: The emergency reason is too short. Say why, in a few words: the reason goes into the change record.\n');
      const none = run(repo.root, ['emergency', 'declare']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /say why with --reason/);
      assert.equal(storedEvidence(repo)?.emergency, undefined);
    });

    it('withdraw: back to the level checklist', () => {
      const repo = significant();
      run(repo.root, ['emergency', 'declare', '--reason', 'Checkout is down for EU customers']);
      const w = run(repo.root, ['emergency', 'withdraw']);
      assert.equal(w.code, 0, w.stderr);
      assert.match(w.stdout, /^Withdrew the emergency for feature \(declared by Dev <dev@example\.com> at .*\)\.\n$/);
      assert.deepEqual(ids(repo), ['tests', 'reviews-resolved', 'owner-approval', 'e2e-local', 'signoff', 'post-review']);
      assert.equal(run(repo.root, ['emergency', 'withdraw']).stdout, 'No emergency is declared for feature: nothing to withdraw.\n');
      // Withdrawing needs no policy: a broken one does not keep the emergency declared.
      run(repo.root, ['emergency', 'declare', '--reason', 'Checkout is down for EU customers']);
      repo.write('.change-control.yml', 'version: 1\nlevles: []\n');
      assert.equal(run(repo.root, ['check']).code, 2);
      assert.equal(run(repo.root, ['emergency', 'withdraw']).code, 0);
      assert.equal(storedEvidence(repo)?.emergency, undefined);
    });
  });

  it('every command has its own --help, and takes -C DIR', () => {
    for (const command of ['check', 'attest', 'record', 'emergency', 'notify', 'init', 'schema']) {
      const r = run(process.cwd(), [command, '--help']);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: change-control ${command}\\b`));
      assert.match(r.stdout, /\nExit codes: /);
    }
    const repo = make(policy({}));
    const elsewhere = tempDir('cc-cli-');
    assert.equal(run(elsewhere, ['attest', 'e2e', '-C', repo.root]).code, 0);
    assert.equal(run(elsewhere, ['record', 'set', 'description', 'x', '-C', repo.root]).code, 0);
    assert.equal(run(elsewhere, ['emergency', 'declare', '--reason', 'Checkout is down', '-C', repo.root]).code, 0);
    const evidence = storedEvidence(repo);
    assert.ok(evidence?.attestations.e2e && evidence.changeRecord.description && evidence.emergency);
  });
});

describe('the editor and the CLI record the same evidence', () => {
  // The extension's commands call these same engine edits (toggleAttestation → attest,
  // editChangeRecordField → setChangeRecordField, declareEmergency → declareEmergency,
  // runChecklistCommand → runCommandItem + recordRun) with `whoAmI` = gitIdentity, and store them
  // with updateEvidence. What the CLI wrote must be exactly what those functions produce.
  let repo: TestRepo;
  beforeEach(() => {
    repo = repoWith(policy({ unit: 'node -e "process.exit(0)"' }));
  });
  afterEach(() => repo.dispose());

  const shared = async () => {
    const git = createGit(repo.root);
    return { assessment: await assessRepo(repo.root), by: await gitIdentity(git), git };
  };

  it('attest', async () => {
    const { assessment, by } = await shared();
    assert.equal(run(repo.root, ['attest', 'e2e']).code, 0);
    const written = storedEvidence(repo)!;
    assert.deepEqual(written, attest(emptyEvidence(), assessment, 'e2e', { by, at: new Date(written.attestations.e2e.at) }));
  });

  it('record set', async () => {
    const { assessment } = await shared();
    assert.equal(run(repo.root, ['record', 'set', 'deployment-plan'], { input: 'a\nb\n' }).code, 0);
    assert.deepEqual(storedEvidence(repo), setChangeRecordField(emptyEvidence(), assessment, 'deployment-plan', 'a\nb\n'));
  });

  it('emergency declare', async () => {
    const { by } = await shared();
    assert.equal(run(repo.root, ['emergency', 'declare', '--reason', '  Checkout is down  ']).code, 0);
    const written = storedEvidence(repo)!;
    assert.deepEqual(written, declareEmergency(emptyEvidence(), '  Checkout is down  ', { by, at: new Date(written.emergency!.declaredAt) }));
  });

  it('a command run', async () => {
    const { assessment, git } = await shared();
    const outcome = await runCommandItem({ git, runner: createRunner(), cwd: repo.root, assessment, itemId: 'unit' });
    assert.equal(outcome.kind, 'finished');
    assert.equal(run(repo.root, ['check', '--run']).code, 0);
    const written = storedEvidence(repo)!;
    const run_ = written.commands.unit;
    const editor = recordRun(emptyEvidence(), 'unit', { ...(outcome.kind === 'finished' ? outcome.run : never()), at: run_.at, durationMs: run_.durationMs });
    assert.deepEqual(written, editor);
  });

  it('in the same store, where the editor reads it', async () => {
    assert.equal(run(repo.root, ['attest', 'e2e']).code, 0);
    assert.equal(evidencePath(await inspectRepository(createGit(repo.root))), evidenceFile(repo));
  });

  it('the extension gets who is acting from the same function', () => {
    const source = readFileSync(path.resolve(__dirname, '..', '..', '..', 'src', 'extension', 'commandContext.ts'), 'utf8');
    assert.match(source, /export function whoAmI\([^)]*\)[^{]*\{\s*return loadEngine\(\)\.gitIdentity\(watch\.git\(\)\);\s*\}/);
  });
});

function never(): never {
  throw new Error('unreachable');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
