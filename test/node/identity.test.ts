import assert from 'node:assert/strict';
import { createGit } from '../../src/node/git';
import { gitIdentity } from '../../src/node/identity';
import { TestRepo } from './gitRepo';

describe('who is acting (both doors record it this way)', () => {
  let repo: TestRepo;
  const saved = { global: process.env.GIT_CONFIG_GLOBAL, system: process.env.GIT_CONFIG_NOSYSTEM };
  before(() => {
    // Only the repository's own config counts here, not this machine's.
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
  });
  after(() => {
    for (const [key, value] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.system]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  beforeEach(() => {
    repo = TestRepo.create();
  });
  afterEach(() => repo.dispose());

  it('is git user.name <user.email>', async () => {
    assert.equal(await gitIdentity(createGit(repo.root)), 'Dev <dev@example.com>');
  });

  it('is whichever of the two is set, else the login name, else "unknown"', async () => {
    repo.git('config', '--unset', 'user.email');
    assert.equal(await gitIdentity(createGit(repo.root)), 'Dev');
    repo.git('config', '--unset', 'user.name');
    repo.git('config', 'user.email', 'dev@example.com');
    assert.equal(await gitIdentity(createGit(repo.root)), 'dev@example.com');
    repo.git('config', '--unset', 'user.email');
    assert.equal(await gitIdentity(createGit(repo.root), { USER: 'dana' }), 'dana');
    assert.equal(await gitIdentity(createGit(repo.root), {}), 'unknown');
  });
});
