import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Git, GitResult } from '../../src/core/ports';
import { PersistentObjects } from '../../src/node/catFileBatch';
import { createGit } from '../../src/node/git';
import { filterOverrides, NO_FETCHING, untrustedGit } from '../../src/node/untrustedGit';
import { TestRepo, tempDir } from './gitRepo';

describe('git in an untrusted workspace', () => {
  it('neutralises every filter driver the repository configures', () => {
    const config = 'filter.lfs.clean\ngit-lfs clean -- %f\0filter.lfs.process\ngit-lfs filter-process\0filter.evil.smudge\nrm -rf ~\0';
    assert.deepEqual(filterOverrides(config), [
      '-c', 'filter.lfs.clean=cat', '-c', 'filter.lfs.smudge=cat', '-c', 'filter.lfs.process=', '-c', 'filter.lfs.required=false',
      '-c', 'filter.evil.clean=cat', '-c', 'filter.evil.smudge=cat', '-c', 'filter.evil.process=', '-c', 'filter.evil.required=false',
    ]);
  });

  it('turns off fsmonitor and textconv on every call', async () => {
    const calls: string[][] = [];
    const fake: Git = {
      async run(args): Promise<GitResult> {
        calls.push([...args]);
        const stdout = args[0] === 'config' ? Buffer.from('filter.x.clean\nevil\0') : Buffer.alloc(0);
        return { stdout, stderr: '', exitCode: 0 };
      },
    };
    const git = untrustedGit(fake);
    await git.run(['diff', '-U0', 'abc']);
    await git.run(['rev-parse', 'HEAD']);
    assert.deepEqual(calls[1].slice(0, 2), ['-c', 'core.fsmonitor=false']);
    assert.ok(calls[1].includes('filter.x.clean=cat'));
    assert.deepEqual(calls[1].slice(-4), ['diff', '--no-textconv', '-U0', 'abc']);
    assert.equal(calls.filter((c) => c[0] === 'config').length, 1, 'the config is read once');
    assert.deepEqual(calls[2].slice(-2), ['rev-parse', 'HEAD']);
  });

  describe('a partial clone whose missing objects git would fetch with a program the repository names', () => {
    let repo: TestRepo;
    let marker: string;
    let blob: string;
    beforeEach(() => {
      repo = TestRepo.create();
      repo.commitFiles({ 'a.txt': 'hello\n' }, 'base');
      blob = repo.git('rev-parse', 'HEAD:a.txt');
      fs.rmSync(path.join(repo.root, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      marker = path.join(tempDir('cc-marker-'), 'ran');
      repo.git('config', 'core.repositoryformatversion', '1');
      repo.git('config', 'extensions.partialClone', 'origin');
      repo.git('config', 'remote.origin.url', 'ssh://example.invalid/repo');
      repo.git('config', 'remote.origin.promisor', 'true');
      repo.git('config', 'core.sshCommand', `touch ${marker}; false`);
    });
    afterEach(() => repo.dispose());

    it('trusted, git runs it (what an untrusted workspace must prevent)', async () => {
      await assert.rejects(createGit(repo.root).run(['cat-file', 'blob', blob]));
      assert.ok(fs.existsSync(marker), 'the fetch ran the configured ssh command');
    });

    it('untrusted, neither a git command nor the object reader fetches: the object is missing, nothing runs', async () => {
      await assert.rejects(untrustedGit(createGit(repo.root)).run(['cat-file', 'blob', blob]), /failed \(exit 128\)/);
      const objects = new PersistentObjects(repo.root, NO_FETCHING);
      try {
        assert.equal(await objects.info(blob), undefined);
        assert.equal(await objects.contents(blob), undefined);
      } finally {
        objects.close();
      }
      assert.equal(fs.existsSync(marker), false, 'no program of the repository ran');
    });
  });
});
