// Git for an untrusted checkout (the editor uses it in Restricted Mode). A repository's own config can name programs that read-only git
// commands run: an fsmonitor hook, clean/smudge filters (run to hash changed files), diff
// textconv drivers, and in a partial clone the fetch of a missing object from its promisor
// remote (`core.sshCommand`, credential helpers, a remote helper). VS Code's git extension does not run at all in Restricted Mode; Change Control
// still assesses, but with every such program switched off for its git calls.
import type { Git } from '../core/ports';

/**
 * No transport may run, so a missing object is never fetched: in a partial clone git would fetch
 * it from the promisor remote, running whatever program the repository's config names for that.
 */
export const NO_FETCHING: readonly string[] = ['-c', 'protocol.allow=never'];

/** The `-c` overrides that neutralise the repository's filter drivers (`cat` is the identity filter). */
export function filterOverrides(configOutput: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const entry of configOutput.split('\0')) {
    const key = entry.split('\n')[0];
    const m = /^filter\.(.+)\.(clean|smudge|process|required)$/i.exec(key);
    if (!m || seen.has(m[1])) continue;
    seen.add(m[1]);
    out.push('-c', `filter.${m[1]}.clean=cat`, '-c', `filter.${m[1]}.smudge=cat`, '-c', `filter.${m[1]}.process=`, '-c', `filter.${m[1]}.required=false`);
  }
  return out;
}

export function untrustedGit(git: Git): Git {
  let overrides: Promise<string[]> | undefined;
  const readOverrides = () =>
    (overrides ??= git
      .run(['config', '--null', '--get-regexp', '^filter\\.'], { okExitCodes: [1] })
      .then((r) => ['-c', 'core.fsmonitor=false', ...NO_FETCHING, ...filterOverrides(r.stdout.toString('utf8'))])
      .catch(() => ['-c', 'core.fsmonitor=false', ...NO_FETCHING]));
  return {
    async run(args, options) {
      if (args[0] === 'config') return git.run(args, options);
      const prefix = await readOverrides();
      const rest = args[0] === 'diff' ? [args[0], '--no-textconv', ...args.slice(1)] : args;
      return git.run([...prefix, ...rest], options);
    },
  };
}
