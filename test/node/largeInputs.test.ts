// Large inputs are bounded, not read whole: content rules read work-tree files a few at a time and
// never past the scan limit (a thousand dirty files must not exhaust file descriptors, a file of
// gigabytes must not be read whole), and a policy file past its size limit is refused as such.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_SCANNED_BYTES } from '../../src/core/change/changedLines';
import { LIMITS } from '../../src/core/policy/schema';
import { assess } from '../../src/core/assess';
import { parsePolicyText } from '../../src/core/policy/load';
import type { Git } from '../../src/core/ports';
import { createGit } from '../../src/node/git';
import { fsWorkTree } from '../../src/node/workTree';
import { assessRepo } from './assessRepo';
import { CLI, runCliSync } from './cliProcess';
import { SECRETS_POLICY, TestRepo } from './gitRepo';


function sparseFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

describe('large inputs are bounded', () => {
  const repos: TestRepo[] = [];
  const make = () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n', '.change-control.yml': SECRETS_POLICY }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    return repo;
  };
  after(() => repos.forEach((r) => r.dispose()));

  (process.platform === 'win32' ? it.skip : it)('1,100 dirty files are read with a few file descriptors (ulimit -n 256)', function () {
    const repo = make();
    for (let i = 0; i < 1100; i++) repo.write(`src/f${i}.txt`, `line ${i}\n`);
    repo.write('src/f1099.txt', 'SECRET_KEY = 1\n');
    const r = spawnSync('bash', ['-c', 'ulimit -n 256 && exec "$0" "$1" check --format json', process.execPath, CLI], { cwd: repo.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { level: string; files: unknown[] };
    assert.equal(out.files.length, 1100);
    assert.equal(out.level, 'high');
  });

  it('a 2.2 GB file under a content rule is not read whole: it is over the scan limit, and the rest is still scanned', async function () {
    const repo = make();
    repo.write('src/small.ts', 'SECRET_TOKEN\n');
    sparseFile(path.join(repo.root, 'src', 'huge.bin'), 2.2e9);
    const a = await assessRepo(repo.root, { policyText: SECRETS_POLICY });
    assert.deepEqual(a.files.map((f) => [f.path, f.level.id]).sort(), [['src/huge.bin', 'low'], ['src/small.ts', 'high']]);
  });

  it('a committed blob over the scan limit is never read from git, only its size is asked', async () => {
    const repo = make();
    repo.write('src/small.ts', 'SECRET_TOKEN\n');
    repo.write('src/big.txt', `${'x'.repeat(80)}\n`.repeat(Math.ceil((MAX_SCANNED_BYTES * 2) / 81)));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'big');
    const big = repo.git('rev-parse', 'HEAD:src/big.txt');
    const inputs: string[] = [];
    const real = createGit(repo.root);
    const git: Git = { run: (args, o) => (args[0] === 'cat-file' && args[1] === '--batch' && inputs.push(String(o?.input ?? '')), real.run(args, o)) };
    const policy = parsePolicyText(SECRETS_POLICY, 'p.yml');
    const a = await assess({ git, workTree: fsWorkTree(repo.root), policy, base: 'main', head: 'HEAD' });
    assert.deepEqual(a.files.map((f) => [f.path, f.level.id]).sort(), [['src/big.txt', 'low'], ['src/small.ts', 'high']]);
    assert.ok(inputs.length > 0, 'the small file was read through cat-file --batch');
    assert.ok(!inputs.some((i) => i.includes(big)), 'the big blob was not');
  });

  it('reads at most the limit and one byte of a file larger than the limit', async () => {
    const repo = make();
    sparseFile(path.join(repo.root, 'big.bin'), MAX_SCANNED_BYTES * 3);
    const bytes = await fsWorkTree(repo.root).readFile('big.bin', { maxBytes: MAX_SCANNED_BYTES });
    assert.equal(bytes?.length, MAX_SCANNED_BYTES + 1);
    assert.equal((await fsWorkTree(repo.root).readFile('README.md', { maxBytes: 10 }))?.toString(), 'x\n');
  });

  it('a 2.2 GB policy file is too large for a policy, not a matter of permissions', () => {
    const repo = make();
    sparseFile(path.join(repo.root, 'huge.yml'), 2.2e9);
    const r = runCliSync(repo.root, ['check', '--policy', 'huge.yml']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `change-control: ${path.join(repo.root, 'huge.yml')}: the file is too large for a policy (limit ${LIMITS.fileBytes / 1024 / 1024} MiB): check that this is the policy file\n`);
  });
});
