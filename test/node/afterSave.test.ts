// The change the editor shows the moment a file is saved (changeAfterSaves: git's last listing
// plus the saved files), held against git's own listing after the same save, in real repositories.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { changeAfterSaves, SavesAheadOfGit } from '../../src/core/change/afterSave';
import { readChange, type Change } from '../../src/core/change/change';
import { assess } from '../../src/core/assess';
import { parsePolicyText } from '../../src/core/policy/load';
import { PersistentObjects } from '../../src/node/catFileBatch';
import { createGit } from '../../src/node/git';
import { fsWorkTree } from '../../src/node/workTree';
import { SECRETS_POLICY, TestRepo, tempDir } from './gitRepo';


describe('the change shown on save, ahead of git', function () {
  this.timeout(30000);
  let repo: TestRepo;
  let objects: PersistentObjects;

  beforeEach(() => {
    repo = TestRepo.create();
    repo.commitFiles(
      {
        '.gitignore': '*.log\n',
        'README.md': 'hello\n',
        'src/app.ts': 'line1\nSECRET_OLD = 1\n',
        'src/auth/login.ts': 'export {}\n',
        'src/old.ts': 'old\n',
        'src/gone.ts': 'going\n',
      },
      'base',
    );
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commitFiles({ 'src/feature.ts': 'feature\n' }, 'feature');
    objects = new PersistentObjects(repo.root);
  });
  afterEach(() => objects.close());

  const listing = () => readChange(createGit(repo.root));
  const ahead = (previous: Change, saved: string[], leftOut?: Set<string>) => changeAfterSaves(previous, saved, { objects, workTree: fsWorkTree(repo.root), leftOut });
  const paths = (c: Change | undefined) => c?.files.map((f) => `${f.status} ${f.path}`);

  it('a tracked file saved with new content is listed as git lists it, base blob and all', async () => {
    const before = await listing();
    repo.write('src/auth/login.ts', 'export const user = 1;\n');
    const shown = await ahead(before, ['src/auth/login.ts']);
    const after = await listing();
    assert.deepEqual(shown?.files, after.files);
    assert.ok(shown?.files.find((f) => f.path === 'src/auth/login.ts')?.blobs?.oldOid.match(/^[0-9a-f]{40}$/));
  });

  it('a new file is listed as untracked, after the tracked ones, as git lists it', async () => {
    const before = await listing();
    repo.write('src/new.ts', 'new\n');
    repo.write('src/auth/token.ts', 'token\n');
    const shown = await ahead(before, ['src/new.ts', 'src/auth/token.ts']);
    const after = await listing();
    assert.deepEqual(new Set(paths(shown)), new Set(paths(after)));
    assert.deepEqual(paths(shown)?.slice(0, 1), ['added src/feature.ts']);
  });

  it('a file saved as the base has it is not listed, and a file already listed stays listed', async () => {
    repo.write('src/app.ts', 'line1\nSECRET_NEW = 1\n');
    const before = await listing();
    repo.write('README.md', 'hello\n'); // the same bytes as the base
    const shown = await ahead(before, ['README.md', 'src/app.ts']);
    assert.deepEqual(paths(shown), paths(before));
  });

  it('errs towards more: a listed file saved back to the base stays listed until git says otherwise', async () => {
    repo.write('src/app.ts', 'line1\nSECRET_NEW = 1\n');
    const before = await listing();
    repo.write('src/app.ts', 'line1\nSECRET_OLD = 1\n');
    const shown = await ahead(before, ['src/app.ts']);
    assert.ok(paths(shown)?.includes('modified src/app.ts'));
    assert.ok(!paths(await listing())?.includes('modified src/app.ts'));
  });

  it('an ignored file is shown until git left it out once, then no more, as the editor keeps track of saves', async () => {
    const saves = new SavesAheadOfGit();
    const reads = { objects, workTree: fsWorkTree(repo.root) };
    const before = await listing();
    repo.write('debug.log', 'noise\n');
    saves.save('debug.log');
    const pending = saves.pending();
    const shown = await saves.changeNow(before, reads);
    assert.ok(paths(shown)?.includes('untracked debug.log'));
    const listed = await listing();
    assert.ok(!paths(listed)?.includes('untracked debug.log'));
    saves.listed(pending, { before, after: shown! }, listed);
    assert.deepEqual(saves.pending(), [], 'listed by git');
    assert.equal(await saves.changeNow(listed, reads), undefined, 'nothing saved since');
    saves.save('debug.log');
    assert.deepEqual(paths(await saves.changeNow(listed, reads)), paths(listed), 'left out once: not shown again');
    // A new file git does list is shown every time it is saved.
    repo.write('src/new.ts', 'x\n');
    saves.save('src/new.ts');
    const p2 = saves.pending();
    const shown2 = await saves.changeNow(listed, reads);
    const listed2 = await listing();
    saves.listed(p2, { before: listed, after: shown2! }, listed2);
    saves.save('src/new.ts');
    assert.ok(paths(await saves.changeNow(listed2, reads))?.includes('untracked src/new.ts'));
  });

  it('cannot say without git when a saved path was deleted or renamed away, or the change is of a commit', async () => {
    repo.remove('src/gone.ts');
    repo.git('mv', 'src/old.ts', 'src/renamed.ts');
    const before = await listing();
    assert.ok(paths(before)?.includes('deleted src/gone.ts') && before.files.some((f) => f.oldPath === 'src/old.ts'), String(paths(before)));
    repo.write('src/gone.ts', 'back\n');
    assert.equal(await ahead(before, ['src/gone.ts']), undefined);
    repo.write('src/old.ts', 'again\n');
    assert.equal(await ahead(before, ['src/old.ts']), undefined);
    const ofCommit = await readChange(createGit(repo.root), { head: 'HEAD' });
    assert.equal(await ahead(ofCommit, ['src/app.ts']), undefined);
  });

  it('a saved file that is gone again is not listed', async () => {
    const before = await listing();
    const shown = await ahead(before, ['src/never-written.ts']);
    assert.deepEqual(paths(shown), paths(before));
  });

  it('assessed with the objects of a running git, the content rule reads the same lines as with git processes', async () => {
    repo.write('src/app.ts', 'line1\nSECRET_OLD = 1\nSECRET_NEW = 2\n');
    const policy = parsePolicyText(SECRETS_POLICY, '.github/change-control.yml');
    const input = { git: createGit(repo.root), workTree: fsWorkTree(repo.root), policy };
    const spawned = await assess(input);
    const piped = await assess({ ...input, objects });
    assert.deepEqual(piped.reasons, spawned.reasons);
    assert.ok(piped.reasons.some((r) => r.id === 'secrets' && r.line === 3), JSON.stringify(piped.reasons));
  });

  it('a running git that cannot run fails the read (closed), and a later read starts git again', async () => {
    const before = await listing();
    const name = `${before.base.sha}:src/auth/login.ts`;
    const later = path.join(tempDir('cc-later-'), 'repo');
    const reader = new PersistentObjects(later);
    await assert.rejects(reader.info(name), /git cat-file --batch-check stopped/);
    fs.symlinkSync(repo.root, later);
    assert.equal((await reader.info(name))?.type, 'blob');
    assert.equal((await reader.contents(name))?.content.toString(), 'export {}\n');
    reader.close();
  });
});
