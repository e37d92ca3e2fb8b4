// The built CLI as a user runs it: a real process over real repositories.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TestRepo, tempDir } from './gitRepo';

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function feature(): TestRepo {
  const repo = TestRepo.create();
  repo.commitFiles({ 'README.md': 'x\n', 'src/app.ts': 'export {}\n' }, 'base');
  repo.git('checkout', '-q', '-b', 'feature');
  return repo;
}

describe('the change-control CLI', () => {
  const repos: TestRepo[] = [];
  const make = () => {
    const r = feature();
    repos.push(r);
    return r;
  };
  after(() => repos.forEach((r) => r.dispose()));

  before(() => assert.ok(existsSync(CLI), 'dist/cli.js is built (npm run build)'));

  it('check prints a readable assessment with the default policy and exits 0', () => {
    const repo = make();
    repo.write('src/auth/login.ts', 'export {}\n');
    const r = run(repo.root, ['check']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Change Control: Significant · auth\n/);
    assert.match(r.stdout, /policy: preset two-tier/);
    assert.match(r.stdout, /Why significant:\n {2}• src\/auth\/login\.ts — Authentication and authorization \(zone auth\): Significant\.\n/);
    assert.match(r.stdout, /Checklist:/);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'NO_COLOR means no escape codes');
  });

  it('check is the default command', () => {
    const repo = make();
    assert.equal(run(repo.root, []).code, 0);
    assert.match(run(repo.root, []).stdout, /Change Control: Regular/);
  });

  it('colours a terminal unless NO_COLOR is set', () => {
    const repo = make();
    const coloured = run(repo.root, ['check'], { NO_COLOR: '', FORCE_COLOR: '1' });
    assert.match(coloured.stdout, /\u001b\[1m/);
    const plain = run(repo.root, ['check'], { NO_COLOR: '1', FORCE_COLOR: '1' });
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
  });

  it('--format json has exactly the contract fields', () => {
    const repo = make();
    repo.write('src/auth/login.ts', 'export {}\n');
    const r = run(repo.root, ['check', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['level', 'levelTitle', 'base', 'baseNote', 'head', 'files', 'reasons', 'zones', 'components', 'migrations', 'checklist']);
    assert.match(json.baseNote, /^main is this commit itself/, 'the header\'s note on what the change is measured from');
    assert.equal(json.level, 'significant');
    assert.equal(json.levelTitle, 'Significant');
    assert.equal(json.base, repo.git('rev-parse', 'main'));
    assert.equal(json.head, null);
    assert.deepEqual(json.files, [{ path: 'src/auth/login.ts', status: 'untracked', zones: ['auth'], components: [] }]);
    assert.deepEqual(Object.keys(json.reasons[0]), ['rule', 'id', 'level', 'path', 'line', 'message']);
    assert.deepEqual(json.zones, ['auth']);
    assert.deepEqual(json.migrations, []);
    assert.deepEqual(Object.keys(json.checklist[0]), ['id', 'title', 'kind', 'required', 'state']);
  });

  it('--head gives the commit sha in json', () => {
    const repo = make();
    const sha = repo.commitFiles({ 'a.txt': '1\n' });
    const json = JSON.parse(run(repo.root, ['check', '--format', 'json', '--head', 'HEAD']).stdout);
    assert.equal(json.head, sha);
  });

  it('--head names the assessed commit in the header, not the branch the working tree is on', () => {
    const repo = make();
    const first = repo.commitFiles({ 'src/auth/a.ts': '1\n' });
    repo.commitFiles({ 'b.txt': '1\n' });
    const r = run(repo.root, ['check', '--head', 'HEAD~1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[1], new RegExp(`^commit ${first.slice(0, 7)} · 1 file changed since `));
  });

  it('--format markdown renders a PR comment', () => {
    const repo = make();
    repo.write('src/auth/login.ts', 'export {}\n');
    const r = run(repo.root, ['check', '--format', 'markdown']);
    assert.match(r.stdout, /^### Change Control: \*\*Significant\*\* · auth/);
    assert.match(r.stdout, /#### Why this change is significant/);
    assert.match(r.stdout, /\| ○ \| All automated tests pass \|/);
  });

  it('--fail-on exits 1 at or above the level, 0 below', () => {
    const repo = make();
    assert.equal(run(repo.root, ['check', '--fail-on', 'significant']).code, 0);
    repo.write('src/auth/login.ts', 'export {}\n');
    assert.equal(run(repo.root, ['check', '--fail-on', 'significant']).code, 1);
    assert.equal(run(repo.root, ['check', '--fail-on', 'regular']).code, 1);
  });

  it('--fail-on with an unknown level is a usage error with did-you-mean', () => {
    const repo = make();
    const r = run(repo.root, ['check', '--fail-on', 'signficant']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'change-control: --fail-on signficant: the policy has no such level. Did you mean "significant"? Levels: regular, significant.\n');
  });

  it('a broken policy exits 2 with one line naming file, line and column, and no stack', () => {
    const repo = make();
    repo.write('.github/change-control.yml', 'version: 1\nlevels:\n  - id: a\n    title: A\nzones:\n  auth:\n    title: Auth\n    levle: a\n');
    const r = run(repo.root, ['check']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /^change-control: \.github\/change-control\.yml:\d+:\d+: zones\.auth\./);
    assert.doesNotMatch(r.stderr, /    at /);
  });

  describe('a policy with several problems prints each, in file order, one per line', () => {
    const F = '.github/change-control.yml';
    const broken = (text: string) => {
      const repo = make();
      repo.write(F, text);
      const r = run(repo.root, ['check']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.doesNotMatch(r.stderr, /    at /);
      return r.stderr;
    };
    const LEVELS_MISSING = `change-control: ${F}:1:1: levels: missing: expected a list of levels — or start from a preset with "extends: two-tier"\n`;

    it('a wrong type on line 3 is not hidden behind the missing levels', () => {
      assert.equal(broken('version: 1\nname: demo\nzones: 42\n'), `${LEVELS_MISSING}change-control: ${F}:3:8: zones: expected a mapping, found number 42\n`);
    });
    it('an unknown top-level key is printed with its did-you-mean', () => {
      assert.equal(broken('version: 1\nname: demo\nzonez: {}\n'), `${LEVELS_MISSING}change-control: ${F}:3:1: zonez: unknown key "zonez". Did you mean "zones"?\n`);
    });
    it('an unsupported version is printed alone', () => {
      const line = `change-control: ${F}:1:10: version: expected 1, found number 99: this build reads policy version 1; upgrade Change Control or set version: 1 (the rest of the file was not checked)\n`;
      assert.equal(broken('version: 99\n'), line);
      assert.equal(broken('version: 99\nlevels: 3\nzonez: {}\n'), line);
    });
    it('prints the first 20 and counts the rest', () => {
      const zones = Array.from({ length: 25 }, (_, i) => `  z${i}: ${i}\n`).join('');
      const lines = broken(`version: 1\nlevels: [{id: a, title: A}]\nzones:\n${zones}`).split('\n').filter(Boolean);
      assert.equal(lines.length, 21);
      assert.equal(lines[0], `change-control: ${F}:4:7: zones.z0: expected a mapping, found number 0`);
      assert.equal(lines[19], `change-control: ${F}:23:8: zones.z19: expected a mapping, found number 19`);
      assert.equal(lines[20], 'change-control: …and 5 more problems');
    });
  });

  it('uses the repository policy, or --policy and --preset', () => {
    const repo = make();
    repo.write('.change-control.yml', 'version: 1\nlevels:\n  - { id: only, title: Only }\n');
    assert.match(run(repo.root, ['check']).stdout, /Change Control: Only\n.*policy: \.change-control\.yml/);
    repo.write('other.yml', 'version: 1\nlevels:\n  - { id: other, title: Other }\n');
    assert.match(run(repo.root, ['check', '--policy', 'other.yml']).stdout, /Change Control: Other/);
    const chosen = run(repo.root, ['check', '--preset', 'itil']).stdout;
    assert.match(chosen, /Change Control: Normal/);
    assert.match(chosen, /policy: preset itil \(--preset\)\n/, 'a chosen preset is not "no policy file"');
    const both = run(repo.root, ['check', '--preset', 'itil', '--policy', 'other.yml']);
    assert.equal(both.code, 2);
  });

  it('usage errors exit 2 with one line', () => {
    const repo = make();
    for (const [args, pattern] of [
      [['chek'], /unknown command "chek"\. Did you mean "check"\?/],
      [['check', '--bogus'], /unknown option --bogus\. Run `change-control --help`/],
      [['check', '--format', 'xml'], /--format xml: expected text, json or markdown/],
      [['check', '--base', 'nope'], /--base nope is not a commit/],
      [['check', '--preset', 'itl'], /Did you mean "itil"/],
      [['check', '--base', '--foo'], /^change-control: --base needs a value: write --base VALUE \(a value that starts with "-" as --base=-VALUE\)\. Run `change-control --help`\.$/m],
      [['check', '--base'], /^change-control: --base needs a value/],
      [['check', '-C'], /^change-control: -C needs a value: write -C DIR\./],
    ] as const) {
      const r = run(repo.root, [...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  });

  it('outside a repository: exit 2 and a clear line', () => {
    const r = run(tempDir('cc-cli-'), ['check']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not inside a git repository/);
  });

  it('init writes the commented preset, refuses to overwrite, and the result loads', () => {
    const repo = make();
    const r = run(repo.root, ['init', '--preset', 'itil']);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(repo.root, '.github', 'change-control.yml');
    assert.match(readFileSync(file, 'utf8'), /^# Change Control policy \(preset: itil\)/);
    const again = run(repo.root, ['init']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists: edit it, or pass --force/);
    assert.equal(run(repo.root, ['init', '--force']).code, 0);
    assert.match(run(repo.root, ['check']).stdout, /policy: \.github\/change-control\.yml/);
  });

  it('schema prints the JSON Schema', () => {
    const repo = make();
    const r = run(repo.root, ['schema']);
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.stdout);
    assert.equal(schema.title, 'Change Control policy');
    assert.ok(schema.properties.zones);
  });

  it('--help and --version', () => {
    assert.match(run(process.cwd(), ['--help']).stdout, /^Usage: change-control <command>/);
    assert.match(run(process.cwd(), ['--version']).stdout, /^\d+\.\d+\.\d+/);
  });

  it('-C runs in another folder', () => {
    const repo = make();
    repo.write('src/auth/x.ts', '1\n');
    assert.match(run(tempDir('cc-cli-'), ['check', '-C', repo.root]).stdout, /Significant/);
  });
});
