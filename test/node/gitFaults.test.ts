// Git faults that must fail closed with git's own reason, never give a wrong answer: a damaged
// repository is not "a repository with no commits", and a base blob git cannot read is not empty.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../../src/core/errors';
import { commitTree } from '../../src/node/commitTree';
import { createGit } from '../../src/node/git';
import { assessRepo } from './assessRepo';
import { runCliSync } from './cliProcess';
import { SECRETS_POLICY, TestRepo } from './gitRepo';


/** The loose object's file, made writable so a test can damage it. */
function looseObject(repo: TestRepo, oid: string): string {
  const file = path.join(repo.root, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
  assert.ok(existsSync(file), `object ${oid} is loose`);
  chmodSync(file, 0o644);
  return file;
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ChangeControlError, `expected a ChangeControlError, got ${String(err)}`);
    assert.equal(err.code, 'GIT_FAILED');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('git faults fail closed', () => {
  const repos: TestRepo[] = [];
  const make = () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n', 'src/app.ts': 'one\ntwo\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    return repo;
  };
  after(() => repos.forEach((r) => r.dispose()));

  for (const damage of ['corrupt', 'missing'] as const) {
    it(`a ${damage} HEAD commit is not "no commits yet": the CLI exits 2 with one line giving git's reason`, () => {
      const repo = make();
      const head = repo.commitFiles({ 'src/new.ts': 'x\n' }, 'feature work');
      const file = looseObject(repo, head);
      if (damage === 'corrupt') writeFileSync(file, 'garbage');
      else unlinkSync(file);
      const r = runCliSync(repo.root, ['check']);
      assert.equal(r.code, 2, r.stdout);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], new RegExp(`^change-control: HEAD points to commit ${head.slice(0, 12)}, which git cannot read \\(.+\\): the repository is damaged; run \`git fsck\``));
      if (damage === 'corrupt') assert.match(lines[0], /corrupt/);
      assert.doesNotMatch(r.stderr, /empty tree/);
    });
  }

  it('a repository with no commits yet is still measured from the empty tree', async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.write('a.txt', 'x\n');
    const a = await assessRepo(repo.root, { policyText: SECRETS_POLICY });
    assert.equal(a.files.length, 1);
  });

  for (const damage of ['corrupt', 'missing'] as const) {
    it(`a ${damage} base blob under a content rule fails closed instead of counting every line as added`, async () => {
      const repo = make();
      const blob = repo.git('rev-parse', 'main:src/app.ts');
      // Committed, so that git's own diff compares trees and never needs the blob.
      repo.commitFiles({ 'src/app.ts': 'one\ntwo\nthree\n' }, 'feature work');
      const file = looseObject(repo, blob);
      if (damage === 'corrupt') writeFileSync(file, 'garbage');
      else unlinkSync(file);
      await rejectsWith(
        assessRepo(repo.root, { policyText: SECRETS_POLICY }),
        new RegExp(`^The base version of src/app\\.ts \\(blob ${blob.slice(0, 12)}\\) cannot be read from the repository \\(${damage === 'corrupt' ? '.*inflate|unable to unpack' : 'the object is missing'}.*\\): the repository is damaged`),
      );
    });
  }

  it('the gate\'s reader of a commit fails closed on a policy blob git cannot read, and still says "no such file" for a path or folder that is not there', async () => {
    const repo = make();
    const base = repo.commitFiles({ '.change-control.yml': SECRETS_POLICY }, 'policy');
    const tree = commitTree(createGit(repo.root), base);
    assert.equal(await tree.readFile('nope.yml'), undefined);
    assert.equal(await tree.readFile('src'), undefined);
    unlinkSync(looseObject(repo, repo.git('rev-parse', `${base}:.change-control.yml`)));
    await rejectsWith(tree.readFile('.change-control.yml'), new RegExp(`^\\.change-control\\.yml at commit ${base.slice(0, 12)} cannot be read from the repository \\(.+\\): the repository is damaged`));
  });

  it('a committed migration whose blob git cannot read fails closed instead of passing for no migration', async () => {
    const repo = make();
    const file = 'priv/repo/migrations/20260102000000_drop.exs';
    const head = repo.commitFiles({ [file]: 'defmodule M do\n  use Ecto.Migration\n  def change do\n    drop table(:users)\n  end\nend\n' }, 'migration');
    const blob = repo.git('rev-parse', `${head}:${file}`);
    unlinkSync(looseObject(repo, blob));
    const policy = 'version: 1\nlevels:\n  - { id: regular, title: Regular }\n  - { id: significant, title: Significant }\nmigrations:\n  level: significant\n';
    await rejectsWith(assessRepo(repo.root, { policyText: policy, head: 'HEAD' }), new RegExp(`^\`git cat-file blob ${blob}\` failed \\(exit 128\\): `));
  });

  it("a base blob git cannot read under a dirty file fails with git's reason, not its first warning", async () => {
    const repo = make();
    const blob = repo.git('rev-parse', 'main:src/app.ts');
    repo.write('src/app.ts', 'one\ntwo\nthree\n');
    writeFileSync(looseObject(repo, blob), 'garbage');
    await rejectsWith(assessRepo(repo.root, { policyText: SECRETS_POLICY }), new RegExp(`failed \\(exit 128\\): unable to read ${blob}\\.$`));
  });
});
