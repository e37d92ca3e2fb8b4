// The git adapter's own failures, each in one sentence that says what to do.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isChangeControlError } from '../../src/core/errors';
import { createGit } from '../../src/node/git';
import { tempDir } from './gitRepo';

describe('the git adapter', () => {
  it('a folder that does not exist is named as such, not as a missing git', async () => {
    const missing = path.join(tempDir('cc-gone-'), 'nope');
    await assert.rejects(createGit(missing).run(['status']), (err: unknown) => isChangeControlError(err) && err.code === 'NOT_A_REPOSITORY' && err.message === `The folder ${missing} does not exist: check the path (-C DIR).`);
  });

  it('a git that is not installed is named as such', async () => {
    await assert.rejects(createGit(tempDir(), 'no-such-git-binary').run(['status']), (err: unknown) => isChangeControlError(err) && err.code === 'GIT_NOT_FOUND' && /git is not installed or not on PATH/.test(err.message));
  });
});
