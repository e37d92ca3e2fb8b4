// The whole checklist from the terminal: `check --run`, as a user runs it (the built CLI, real
// processes, real repositories), and the evidence it leaves in .git/change-control/ — the same record the editor writes through the same engine functions.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCommandItem } from '../../src/core/checklist/commandRun';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { recordRun } from '../../src/core/checklist/evidenceEdits';
import { createGit } from '../../src/node/git';
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
    '  deploys: { to: "slack:#deploys", on: [before-deploy] }',
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

});

describe('the editor and the CLI record the same evidence', () => {
  // The extension's runChecklistCommand calls these same engine functions (runCommandItem, then
  // recordRun) and stores the result with updateEvidence. What the CLI wrote must be exactly what those functions produce.
  let repo: TestRepo;
  beforeEach(() => {
    repo = repoWith(policy({ unit: 'node -e "process.exit(0)"' }));
  });
  afterEach(() => repo.dispose());

  const shared = async () => {
    const git = createGit(repo.root);
    return { assessment: await assessRepo(repo.root), git };
  };

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
