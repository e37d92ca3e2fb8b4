// Where the change is measured from, in every checkout a developer or CI has — and failing closed
// when there is no base to find: a compliance check that compares a branch with itself passes
// everything.
import { toJsonReport } from '../../src/core/report/jsonReport';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../../src/core/errors';
import { assessRepo } from './assessRepo';
import { TestRepo, tempDir } from './gitRepo';

const POLICY = `
version: 1
levels:
  - { id: low, title: Low }
  - { id: high, title: High }
zones:
  auth: { title: Auth, paths: ["src/auth/**"], level: high }
`;

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

function cli(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

async function rejectsNoBase(cwd: string, pattern: RegExp): Promise<void> {
  await assert.rejects(assessRepo(cwd, { policyText: POLICY, head: 'HEAD' }), (err: unknown) => {
    assert.ok(err instanceof ChangeControlError, String(err));
    assert.equal(err.code, 'BASE_NOT_FOUND');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('the base of a change', () => {
  const repos: TestRepo[] = [];
  const make = (r: TestRepo) => (repos.push(r), r);
  after(() => repos.forEach((r) => r.dispose()));

  /** A project on GitHub, as a bare-like origin: main, and a feature branch adding an auth file. */
  function origin(): TestRepo {
    const repo = make(TestRepo.create());
    repo.commitFiles({ 'README.md': 'x\n', 'src/app.ts': '1\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commitFiles({ 'src/auth/login.ts': 'export {}\n' }, 'auth');
    repo.git('checkout', '-q', 'main');
    return repo;
  }

  /** A clone with its main branch checked out, as a developer gets it. */
  function cloneOf(from: TestRepo): TestRepo {
    const dir = tempDir('cc-clone-');
    execFileSync('git', ['clone', '-q', from.root, dir], { stdio: 'ignore' });
    const clone = make(TestRepo.at(dir));
    clone.git('config', 'user.email', 'dev@example.com');
    clone.git('config', 'user.name', 'Dev');
    return clone;
  }

  /** An empty repository that fetched one ref, the way actions/checkout does. */
  function ciCheckout(from: TestRepo, refspec: string, depth?: number): TestRepo {
    const dir = tempDir('cc-ci-');
    const repo = make(TestRepo.at(dir));
    git(dir, 'init', '-q');
    git(dir, 'remote', 'add', 'origin', `file://${from.root}`);
    git(dir, 'fetch', '-q', ...(depth ? [`--depth=${depth}`] : []), 'origin', refspec);
    return repo;
  }

  it('fails closed in a pull_request checkout that fetched only the pull request (depth 1)', async () => {
    const gh = origin();
    const ci = ciCheckout(gh, '+refs/heads/feature:refs/remotes/pull/1/merge', 1);
    git(ci.root, 'checkout', '-q', '--detach', 'FETCH_HEAD');
    await rejectsNoBase(ci.root, /No base branch to compare this detached HEAD with: looked for origin\/HEAD, origin\/main.*`fetch-depth: 0`/);
    const r = cli(ci.root, ['check', '--head', 'HEAD', '--fail-on', 'high', '--policy', writePolicy()]);
    assert.equal(r.code, 2, r.stdout);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.match(r.stderr, /^change-control: No base branch to compare this detached HEAD with/);
  });

  it('finds the base in a pull_request checkout with full history (fetch-depth: 0)', async () => {
    const gh = origin();
    const ci = ciCheckout(gh, '+refs/heads/*:refs/remotes/origin/*');
    git(ci.root, 'checkout', '-q', '--detach', 'origin/feature');
    const a = await assessRepo(ci.root, { policyText: POLICY, head: 'HEAD' });
    assert.equal(a.base.ref, 'origin/main');
    assert.equal(a.base.note, undefined);
    assert.deepEqual(a.files.map((f) => f.path), ['src/auth/login.ts']);
    assert.equal(a.level.id, 'high');
  });

  it('in a push checkout of the base branch, says the commit is its own base and how to pass the one before the push', async () => {
    const gh = origin();
    const before = gh.git('rev-parse', 'main');
    gh.git('merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
    const ci = ciCheckout(gh, '+refs/heads/main:refs/remotes/origin/main', 1);
    git(ci.root, 'checkout', '-q', '-B', 'main', 'origin/main');
    const a = await assessRepo(ci.root, { policyText: POLICY, head: 'HEAD' });
    assert.equal(a.files.length, 0);
    assert.match(a.base.note ?? '', /origin\/main is this commit itself.*pass `--base` the commit before the push \(GitHub Actions: `github\.event\.before`\)/);
    const text = cli(ci.root, ['check', '--head', 'HEAD', '--policy', writePolicy()]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /origin\/main is this commit itself/, 'the header says so');
    // With the commit before the push and the history to it (fetch-depth: 0), the change is the push.
    git(ci.root, 'fetch', '-q', '--unshallow', 'origin');
    const pushed = await assessRepo(ci.root, { policyText: POLICY, head: 'HEAD', base: before });
    assert.deepEqual(pushed.files.map((f) => f.path), ['src/auth/login.ts']);
  });

  it('fails closed when the default branch is not main or master and there is no remote', async () => {
    const repo = make(TestRepo.create({ branch: 'develop' }));
    repo.commitFiles({ 'README.md': 'x\n' });
    repo.git('checkout', '-q', '-b', 'feature/x');
    repo.commitFiles({ 'src/auth/login.ts': '1\n' });
    await rejectsNoBase(repo.root, /No base branch to compare feature\/x with.*`base:` in the policy or `--base REF`/);
    const withBase = await assessRepo(repo.root, { policyText: `${POLICY}base: develop\n` });
    assert.deepEqual(withBase.files.map((f) => f.path), ['src/auth/login.ts']);
    assert.equal(withBase.level.id, 'high');
  });

  it('fails closed when the policy names a base branch that is nowhere', async () => {
    const repo = make(TestRepo.create());
    repo.commitFiles({ 'README.md': 'x\n' });
    await assert.rejects(assessRepo(repo.root, { policyText: `${POLICY}base: trunk\n` }), /: test-policy\.yml:8:7: base: the base branch "trunk" exists neither locally nor on origin: `git fetch origin trunk`/);
  });

  it('a base branch that is nowhere is a problem at its line and column of the policy file, in one line', () => {
    const repo = make(TestRepo.create());
    repo.commitFiles({ 'README.md': 'x\n', '.change-control.yml': `${POLICY}base: nosuchbranch\n` });
    const r = cli(repo.root, ['check']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'change-control: .change-control.yml:8:7: base: the base branch "nosuchbranch" exists neither locally nor on origin: `git fetch origin nosuchbranch`, or fix `base:` in the policy\n',
    );
  });

  it('accepts full ref names as the base: refs/heads/main and refs/remotes/origin/main', async () => {
    const gh = origin();
    const clone = cloneOf(gh);
    clone.git('checkout', '-q', '-b', 'feature');
    clone.commitFiles({ 'src/auth/login.ts': '2\n' });
    for (const ref of ['refs/heads/main', 'refs/remotes/origin/main']) {
      const a = await assessRepo(clone.root, { policyText: `${POLICY}base: ${ref}\n` });
      assert.equal(a.base.ref, ref.replace(/^refs\/(heads|remotes)\//, ''), ref);
      assert.equal(a.base.sha, clone.git('rev-parse', 'main'), ref);
      assert.deepEqual(a.files.map((f) => f.path), ['src/auth/login.ts'], ref);
    }
    await assert.rejects(assessRepo(clone.root, { policyText: `${POLICY}base: refs/heads/nope\n` }), /: test-policy\.yml:8:7: base: the base branch "refs\/heads\/nope" is not a ref of this repository/);
  });

  it('refuses HEAD as the base when the policy is validated, at its position', async () => {
    const repo = make(TestRepo.create());
    repo.commitFiles({ 'README.md': 'x\n' });
    await assert.rejects(assessRepo(repo.root, { policyText: `${POLICY}base: HEAD\n` }), (err: unknown) => {
      assert.ok(err instanceof ChangeControlError, String(err));
      assert.equal(err.code, 'POLICY_INVALID');
      assert.deepEqual(err.problems.map((p) => [p.line, p.column, p.key]), [[8, 7, 'base']]);
      assert.match(err.problems[0].message, /HEAD is the change itself, not what it is measured from/);
      return true;
    });
  });

  it('on the base branch with an upstream, the change is what is not pushed, and the header says so', async () => {
    const gh = origin();
    const clone = cloneOf(gh);
    clone.commitFiles({ 'src/auth/unpushed.ts': '1\n' });
    const a = await assessRepo(clone.root, { policyText: POLICY });
    assert.equal(a.base.ref, 'origin/main');
    assert.equal(a.base.note, 'On main, the base branch itself: the change is what is not pushed to origin/main yet.');
    assert.equal(toJsonReport(a).baseNote, a.base.note, 'the JSON says so too');
    assert.deepEqual(a.files.map((f) => f.path), ['src/auth/unpushed.ts']);
  });

  it('in a repository with one branch and no remote, the change is the uncommitted work, and says so', async () => {
    const repo = make(TestRepo.create({ branch: 'trunk' }));
    repo.commitFiles({ 'a.txt': '1\n' });
    repo.write('src/auth/new.ts', '1\n');
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.base.note, 'On trunk, the base branch itself, with no upstream: the change is the uncommitted work only.');
    assert.deepEqual(a.files.map((f) => f.path), ['src/auth/new.ts']);
    const r = cli(repo.root, ['check', '--policy', writePolicy()]);
    assert.match(r.stdout, /On trunk, the base branch itself, with no upstream/);
  });

  it('fails closed on a detached HEAD with no base branch anywhere', async () => {
    const repo = make(TestRepo.create({ branch: 'trunk' }));
    repo.commitFiles({ 'a.txt': '1\n' });
    repo.commitFiles({ 'src/auth/b.ts': '1\n' });
    repo.git('checkout', '-q', '--detach', 'HEAD');
    await rejectsNoBase(repo.root, /this detached HEAD/);
  });
});

/** The policy beside the repository (never inside it: it would be a change itself). */
function writePolicy(): string {
  const file = path.join(tempDir('cc-policy-'), 'policy.yml');
  writeFileSync(file, POLICY);
  return file;
}
