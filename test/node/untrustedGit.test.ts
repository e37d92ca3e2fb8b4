import * as assert from 'node:assert/strict';
import type { Git, GitResult } from '../../src/core/ports';
import { filterOverrides, untrustedGit } from '../../src/node/untrustedGit';

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
});
