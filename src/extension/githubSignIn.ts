// Signs in to GitHub through VS Code's own authentication, asked only when a person acts (Sign Off,
// Open Audit Report): github.com, or the GitHub Enterprise Server of `github-enterprise.uri`. The
// token stays in memory, in the client it makes.
import * as vscode from 'vscode';
import type { EngineModule } from './engineLoader';

type GitHub = Awaited<ReturnType<EngineModule['connectGitHub']>>;

export async function signInToGitHub(engine: EngineModule, host: string | null, scopes: readonly string[], log: vscode.LogOutputChannel, options: { waitOnRateLimit?: boolean } = {}): Promise<GitHub> {
  const endpoint = githubEndpoint(host);
  if ('problem' in endpoint) throw new SignInProblem(endpoint.problem);
  const session = await vscode.authentication.getSession(endpoint.providerId, [...scopes], { createIfNone: true });
  return engine.connectGitHub({ token: session.accessToken, baseUrl: endpoint.apiUrl, waitOnRateLimit: options.waitOnRateLimit, log: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) } });
}

/** Which of VS Code's GitHub sign-ins and which API: github.com, or the GitHub Enterprise Server of `github-enterprise.uri`. */
export function githubEndpoint(host: string | null): { providerId: string; apiUrl: string } | { problem: string } {
  const enterprise = vscode.workspace.getConfiguration('github-enterprise').get<string>('uri', '').trim().replace(/\/+$/, '');
  if (host === 'github.com' || (!host && !enterprise)) return { providerId: 'github', apiUrl: 'https://api.github.com' };
  let enterpriseHost: string | undefined;
  try {
    enterpriseHost = enterprise ? new URL(enterprise).host.toLowerCase() : undefined;
  } catch {
    return { problem: `the github-enterprise.uri setting (${enterprise}) is not a URL: set it to your server, e.g. https://github.example.com.` };
  }
  if (enterpriseHost && (!host || enterpriseHost === host)) return { providerId: 'github-enterprise', apiUrl: `${enterprise}/api/v3` };
  return { problem: `the repository is on ${host}: set the github-enterprise.uri setting to https://${host} to sign in to that GitHub Enterprise Server.` };
}

/** A sign-in the editor cannot start, said in a sentence. */
export class SignInProblem extends Error {}
