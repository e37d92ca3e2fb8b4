// Reads files as they are in one commit, for the engine: the gate reads the policy as it is on the
// base (a pull request must not loosen its own policy) and the project as it is at the head.
import type { Git, WorkTree } from '../core/ports';

export function commitTree(git: Git, sha: string): WorkTree {
  return {
    async readFile(relativePath) {
      const out = await git.run(['cat-file', 'blob', `${sha}:${relativePath.replace(/^\.\//, '')}`], { okExitCodes: [128] });
      return out.exitCode === 0 ? out.stdout : undefined;
    },
  };
}
