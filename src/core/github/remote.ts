// Which GitHub repository a git remote points at. Owns the URL forms git accepts for GitHub and
// GitHub Enterprise Server (https, ssh, scp-like, git://), and where each host's API lives.
import type { GitHubRepo } from './facts';

export interface GitHubRemote extends GitHubRepo {
  /** `github.com`, or the Enterprise Server host (with its port, when one is given). */
  host: string;
}

/**
 * The repository a remote URL names, or undefined when it names no `owner/name` on a host (a
 * local path, a bare host). Accepts `https://host/owner/name(.git)`, `ssh://git@host(:port)/owner/name`,
 * `git@host:owner/name` and `git://host/owner/name`.
 */
export function parseGitHubRemote(url: string): GitHubRemote | undefined {
  const text = url.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(parsed.protocol)) return undefined;
    // ssh's port is the transport's, not part of the web host; an https port is part of it.
    host = parsed.protocol.startsWith('http') ? parsed.host : parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  } else if (scp && !/^[a-z]:$/i.test(`${scp[1]}:`)) {
    host = scp[1];
    path = scp[2];
  } else {
    return undefined;
  }
  // The ssh.github.com endpoint (port 443) is github.com's.
  if (host.toLowerCase() === 'ssh.github.com') host = 'github.com';
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const [owner, name] = parts;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(owner) || !/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  return { host: host.toLowerCase(), owner, name };
}

/** `OWNER/NAME` as a person types it (`--repo`, a setting), or undefined when it is not one. */
export function parseRepoSlug(slug: string): GitHubRepo | undefined {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(slug.trim());
  return m && m[2] !== '.' && m[2] !== '..' ? { owner: m[1], name: m[2].replace(/\.git$/, '') } : undefined;
}

/** The REST API of a host: the public one for github.com, `/api/v3` on Enterprise Server. */
export function apiUrlForHost(host: string): string {
  return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

export function repoSlug(repo: GitHubRepo): string {
  return `${repo.owner}/${repo.name}`;
}
