import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { EMPTY_TREE } from '../../src/core/change/change';
import { ChangeControlError } from '../../src/core/errors';
import { assessRepo } from './assessRepo';
import { TestRepo, tempDir } from './gitRepo';

const POLICY = `
version: 1
levels:
  - { id: low, title: Low, checklist: [tests] }
  - { id: high, title: High, checklist: [tests, e2e] }
checklist:
  tests: { kind: command, title: Tests pass, run: "true" }
  e2e: { kind: attestation, title: Tested end to end }
zones:
  auth: { title: Auth, paths: ["src/auth/**"], level: high }
  secrets: { title: Secrets, paths: ["src/**"], content: ["SECRET_[A-Z]+"], level: high }
`;

function feature(): TestRepo {
  const repo = TestRepo.create();
  repo.commitFiles({ 'README.md': 'hello\n', 'src/app.ts': 'line1\nline2\nSECRET_OLD = 1\n', 'src/auth/login.ts': 'export {}\n' }, 'base');
  repo.git('checkout', '-q', '-b', 'feature');
  return repo;
}

/** A clone of the repository with its main branch checked out, as a developer gets it. */
function cloneOf(origin: TestRepo): TestRepo {
  origin.git('checkout', '-q', 'main');
  const dir = tempDir('cc-clone-');
  execFileSync('git', ['clone', '-q', origin.root, dir], { stdio: 'ignore' });
  const clone = TestRepo.at(dir);
  clone.git('config', 'user.email', 'dev@example.com');
  clone.git('config', 'user.name', 'Dev');
  return clone;
}

async function expectError(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ChangeControlError, `expected a ChangeControlError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('the change of a real repository', function () {
  const repos: TestRepo[] = [];
  const make = (r: TestRepo) => (repos.push(r), r);
  after(() => repos.forEach((r) => r.dispose()));

  it('is empty on a fresh branch, at the lowest level', async () => {
    const repo = make(feature());
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.files.length, 0);
    assert.equal(a.level.id, 'low');
    assert.equal(a.base.sha, repo.git('rev-parse', 'main'));
    assert.equal(a.base.ref, 'main');
    assert.deepEqual(a.checklist, [], 'no change: nothing to do');
    assert.equal(a.progress.complete, true);
  });

  it('includes committed, staged, unstaged and untracked changes, and deletions', async () => {
    const repo = make(feature());
    repo.commitFiles({ 'docs/a.md': 'committed\n' });
    repo.write('docs/b.md', 'staged\n');
    repo.git('add', 'docs/b.md');
    repo.write('README.md', 'unstaged\n');
    repo.write('docs/c.md', 'untracked\n');
    repo.write('.gitignore', 'ignored.log\n').write('ignored.log', 'x');
    repo.remove('src/app.ts');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    const byPath = Object.fromEntries(a.files.map((f) => [f.path, f.status]));
    assert.deepEqual(byPath, {
      'docs/a.md': 'added',
      'docs/b.md': 'added',
      'README.md': 'modified',
      'src/app.ts': 'deleted',
      'docs/c.md': 'untracked',
      '.gitignore': 'untracked',
    });
  });

  it('raises the level for a path zone and says why', async () => {
    const repo = make(feature());
    repo.write('src/auth/login.ts', 'export const x = 1;\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'high');
    assert.deepEqual(a.zones.map((z) => z.id), ['auth']);
    const reason = a.reasons.find((r) => r.rule === 'zone');
    assert.deepEqual({ ...reason, message: undefined }, { rule: 'zone', id: 'auth', level: 'high', levelTitle: 'High', label: 'Auth', path: 'src/auth/login.ts', line: null, message: undefined });
    assert.match(reason!.message, /^src\/auth\/login\.ts — Auth \(zone auth\): High\.$/);
    assert.deepEqual(
      a.checklist.map((c) => [c.id, c.state]),
      [
        ['tests', 'pending'],
        ['e2e', 'pending'],
      ],
    );
  });

  it('counts a rename under both paths', async () => {
    const repo = make(feature());
    repo.move('src/auth/login.ts', 'src/session/login.ts');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    repo.git('add', '-A');
    const staged = await assessRepo(repo.root, { policyText: POLICY });
    for (const result of [a, staged]) assert.equal(result.level.id, 'high', 'moving a file out of the auth zone changes the auth zone');
    const renamed = staged.files.find((f) => f.status === 'renamed');
    assert.ok(renamed, 'a staged move is a rename');
    assert.equal(renamed.path, 'src/session/login.ts');
    assert.equal(renamed.oldPath, 'src/auth/login.ts');
    assert.deepEqual(renamed.zones, ['auth']);
  });

  it('matches content patterns only on changed lines, with the line number', async () => {
    const repo = make(feature());
    // The unchanged SECRET_OLD line must not fire; only the new line 4 does.
    repo.write('src/app.ts', 'line1\nline2\nSECRET_OLD = 1\nconst k = SECRET_NEW;\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    const reasons = a.reasons.filter((r) => r.rule === 'content');
    assert.equal(reasons.length, 1);
    assert.deepEqual({ ...reasons[0], message: '' }, { rule: 'content', id: 'secrets', level: 'high', levelTitle: 'High', label: 'Secrets (matches `SECRET_NEW`)', path: 'src/app.ts', line: 4, message: '' });
    assert.match(reasons[0].message, /src\/app\.ts:4 adds `SECRET_NEW`/);
  });

  it('does not fire a content zone when the changed lines do not match', async () => {
    const repo = make(feature());
    repo.write('src/app.ts', 'line1\nchanged\nSECRET_OLD = 1\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'low');
    assert.deepEqual(a.zones.map((z) => z.id), []);
  });

  it('sees a removed line that matched, by its old line number', async () => {
    const repo = make(feature());
    repo.write('src/app.ts', 'line1\nline2\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    const reason = a.reasons.find((r) => r.rule === 'content');
    assert.equal(reason?.line, 3);
    assert.match(reason!.message, /removes `SECRET_OLD`/);
  });

  it('reads content of untracked files and of committed changes alike', async () => {
    const repo = make(feature());
    repo.commitFiles({ 'src/one.ts': 'a\nSECRET_ONE\n' });
    repo.write('src/two.ts', 'x\ny\nz SECRET_TWO\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    const lines = a.reasons.filter((r) => r.rule === 'content').map((r) => `${r.path}:${r.line}`).sort();
    assert.deepEqual(lines, ['src/one.ts:2', 'src/two.ts:3']);
  });

  it('handles paths with spaces, quotes, newlines and non-ASCII characters', async () => {
    const repo = make(feature());
    const odd = ['src/auth/with space.ts', 'src/auth/quote"d.ts', 'src/auth/new\nline.ts', 'src/auth/ünïcødé €.ts', 'src/tab\there.ts'];
    for (const f of odd) repo.write(f, 'SECRET_X\n');
    repo.commit('odd names');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.deepEqual(a.files.map((f) => f.path).sort(), [...odd].sort());
    for (const f of odd.filter((p) => p.startsWith('src/auth/'))) assert.ok(a.files.find((x) => x.path === f)?.zones.includes('auth'), f);
    const contentPaths = a.reasons.filter((r) => r.rule === 'content').map((r) => r.path).sort();
    assert.deepEqual(contentPaths, [...odd].sort(), 'changed lines are attributed to the right odd path');
  });

  it('skips binary files for content patterns but still lists them', async () => {
    const repo = make(feature());
    repo.write('src/blob.bin', Buffer.from([0, 1, 2, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54, 0x5f, 0x41, 0]));
    repo.commit();
    repo.write('src/untracked.bin', Buffer.from('SECRET_A\0\0'));
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.deepEqual(a.files.map((f) => f.path).sort(), ['src/blob.bin', 'src/untracked.bin']);
    assert.equal(a.reasons.length, 0);
  });

  it('works on a detached HEAD', async () => {
    const repo = make(feature());
    repo.commitFiles({ 'src/auth/x.ts': '1\n' });
    repo.git('checkout', '-q', '--detach');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.repository.branch, null);
    assert.equal(a.level.id, 'high');
    assert.equal(a.base.sha, repo.git('rev-parse', 'main'));
  });

  it('works in a repository with no commits: the base is the empty tree', async () => {
    const repo = make(TestRepo.create());
    repo.write('src/auth/a.ts', '1\n').write('notes.txt', 'x\n');
    repo.git('add', 'notes.txt');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.base.sha, EMPTY_TREE);
    assert.equal(a.repository.headSha, null);
    assert.deepEqual(a.files.map((f) => `${f.status} ${f.path}`).sort(), ['added notes.txt', 'untracked src/auth/a.ts']);
    assert.equal(a.level.id, 'high');
  });

  it('explains a shallow clone that lacks the base', async () => {
    const origin = make(feature());
    origin.git('checkout', '-q', 'main');
    for (let i = 0; i < 3; i++) origin.commitFiles({ [`m${i}.txt`]: `${i}\n` });
    origin.git('checkout', '-q', 'feature');
    for (let i = 0; i < 3; i++) origin.commitFiles({ [`f${i}.txt`]: `${i}\n` });
    origin.git('checkout', '-q', 'main');
    const dir = tempDir('cc-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${origin.root}`, dir], { stdio: 'ignore' });
    const clone = make(TestRepo.at(dir));
    clone.git('checkout', '-q', 'feature');
    await expectError(assessRepo(clone.root, { policyText: POLICY }), 'SHALLOW_BASE_MISSING', /git fetch --unshallow/);
  });

  it('uses the remote default branch as the base in a clone', async () => {
    const clone = make(cloneOf(make(feature())));
    clone.git('checkout', '-q', '-b', 'topic');
    clone.commitFiles({ 'src/auth/y.ts': '1\n' });
    const a = await assessRepo(clone.root, { policyText: POLICY });
    assert.equal(a.base.ref, 'origin/main');
    assert.deepEqual(a.files.map((f) => f.path), ['src/auth/y.ts']);
  });

  it('works from a subfolder, with repo-relative paths', async () => {
    const repo = make(feature());
    repo.write('src/auth/sub.ts', '1\n');
    const a = await assessRepo(path.join(repo.root, 'src', 'auth'), { policyText: POLICY });
    assert.equal(a.repository.root, repo.git('rev-parse', '--show-toplevel'));
    assert.deepEqual(a.files.map((f) => f.path), ['src/auth/sub.ts']);
  });

  it('works in a linked worktree', async () => {
    const repo = make(feature());
    repo.git('checkout', '-q', 'main');
    const wt = path.join(tempDir('cc-wt-'), 'wt');
    repo.git('worktree', 'add', '-q', '-b', 'wt-branch', wt);
    const worktree = TestRepo.at(wt);
    worktree.write('src/auth/wt.ts', '1\n');
    const a = await assessRepo(wt, { policyText: POLICY });
    assert.equal(a.repository.branch, 'wt-branch');
    assert.notEqual(a.repository.gitDir, a.repository.commonDir);
    assert.deepEqual(a.files.map((f) => f.path), ['src/auth/wt.ts']);
  });

  it('counts a changed submodule as one path', async () => {
    const sub = make(TestRepo.create());
    sub.commitFiles({ 'lib.txt': '1\n' });
    const repo = make(feature());
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.root, 'vendor/lib');
    repo.commit('add submodule');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.deepEqual(a.files.map((f) => f.path).sort(), ['.gitmodules', 'vendor/lib']);
  });

  it('compares a commit with --head and a ref with --base', async () => {
    const repo = make(feature());
    const first = repo.commitFiles({ 'src/auth/a.ts': '1\n' });
    repo.commitFiles({ 'docs/b.md': '1\n' });
    repo.write('src/auth/dirty.ts', 'uncommitted\n');
    const atFirst = await assessRepo(repo.root, { policyText: POLICY, head: first });
    assert.equal(atFirst.head, first);
    assert.deepEqual(atFirst.files.map((f) => f.path), ['src/auth/a.ts'], 'no working tree, no later commits');
    const sinceFirst = await assessRepo(repo.root, { policyText: POLICY, base: first });
    assert.deepEqual(sinceFirst.files.map((f) => f.path).sort(), ['docs/b.md', 'src/auth/dirty.ts']);
  });

  it('says clearly when a ref does not exist', async () => {
    const repo = make(feature());
    await expectError(assessRepo(repo.root, { policyText: POLICY, base: 'no-such-branch' }), 'REF_NOT_FOUND', /--base no-such-branch is not a commit/);
    await expectError(assessRepo(repo.root, { policyText: POLICY, head: '--evil' }), 'USAGE', /may not start with "-"/);
  });

  it('says clearly when the folder is not a repository', async () => {
    await expectError(assessRepo(tempDir('cc-norepo-'), { policyText: POLICY }), 'NOT_A_REPOSITORY', /not inside a git repository/);
  });
});

describe('a change read with a known repository state and base', () => {
  it('gives the same answer as a full read, from the floor alone', async () => {
    const repo = feature();
    try {
      repo.commitFiles({ 'src/auth/a.ts': '1\n' });
      repo.write('src/app.ts', 'SECRET_NEW\n').write('new.txt', 'x\n');
      const full = await assessRepo(repo.root, { policyText: POLICY });
      const again = await assessRepo(repo.root, { policyText: POLICY, known: { repository: full.repository, base: full.base } });
      assert.deepEqual(again.files, full.files);
      assert.deepEqual(again.reasons, full.reasons);
      assert.deepEqual(again.base, full.base);
    } finally {
      repo.dispose();
    }
  });
});
