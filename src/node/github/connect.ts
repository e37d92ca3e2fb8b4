// Connects to GitHub on demand. The client (octokit and its plugins) is its own bundle,
// dist/github.js, loaded only when a sign-off, the gate or the audit first needs GitHub: a `check`
// and the editor's every save never pay for it. esbuild.js maps this import to that bundle.
import type { GitHub } from '../../core/ports';
import type { GitHubClientOptions } from './client';

export async function connectGitHub(options: GitHubClientOptions): Promise<GitHub> {
  const { createGitHub } = await import('./client');
  return createGitHub(options);
}
