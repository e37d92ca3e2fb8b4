// A repository ready to sign off, as the sign-off and gate tests share it: a real repository with a
// bare "origin" beside it, a feature branch pushed, and the GitHub double holding the repository,
// its teams, the pull request, an approval from a code owner and a resolved thread.
import assert from 'node:assert/strict';
import { startGitHubDouble, type GitHubDouble } from '../support/githubDouble';
import type { RepoState } from '../support/githubState';
import { runCliProcess } from './cliProcess';
import { TestRepo, tempDir } from './gitRepo';

export const REPO = 'acme/shop';

export interface SignoffWorld {
  github: GitHubDouble;
  repo: TestRepo;
  head: string;
  base: string;
  /** GITHUB_TOKEN (a person's: dev) and GITHUB_API_URL. */
  env: NodeJS.ProcessEnv;
  state(): RepoState;
  dispose(): Promise<void>;
}

export async function makeSignoffWorld(policy: string): Promise<SignoffWorld> {
  const github = await startGitHubDouble();
  const origin = tempDir('cc-origin-');
  const repo = TestRepo.create();
  repo.git('init', '-q', '--bare', origin);
  repo.git('remote', 'add', 'origin', origin);
  repo.commitFiles({ 'README.md': '# shop\n', '.github/change-control.yml': policy, '.github/CODEOWNERS': '* @acme/platform\n/src/auth/ @acme/security\n' }, 'start');
  repo.git('push', '-q', '-u', 'origin', 'main');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commitFiles({ 'src/auth/login.ts': 'export const login = () => true;\n' }, 'Rate-limit logins');
  repo.git('push', '-q', '-u', 'origin', 'feature');
  const head = repo.git('rev-parse', 'HEAD');
  const base = repo.git('rev-parse', 'main');

  github
    .token('tok-dev', 'dev', { scopes: ['repo', 'read:org'] })
    .token('tok-ci', 'github-actions[bot]', { app: true })
    .token('tok-noorg', 'dev', { scopes: ['repo'] })
    .repo(REPO, { collaborators: { dev: 'write', sec: 'write', outsider: 'read' } })
    .push(REPO, base, head)
    .team('acme', 'security', { sec: 'active' })
    .team('acme', 'platform', {})
    .org('acme', ['dev']);
  github.pullRequest(REPO, { number: 7, author: 'dev', title: 'Rate-limit logins', head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: base } });
  github.review(REPO, 7, { user: 'sec', state: 'APPROVED', commitId: head });
  github.reviewThread(REPO, 7, { path: 'src/auth/login.ts', line: 1, resolved: true, author: 'sec' });

  // What the person did before signing off: the change record filled in.
  for (const [field, value] of [['description', 'Rate-limit logins'], ['rollback-plan', 'Revert the commit']]) {
    const r = await runCliProcess(repo.root, ['record', 'set', field, value]);
    assert.equal(r.code, 0, r.stderr);
  }
  return {
    github,
    repo,
    head,
    base,
    env: { GITHUB_TOKEN: 'tok-dev', GITHUB_API_URL: github.url },
    state: () => github.state.mustRepo(REPO),
    async dispose() {
      await github.close();
      repo.dispose();
      github.assertNoViolations();
    },
  };
}
