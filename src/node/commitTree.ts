// Reads files as they are in one commit, for the engine: the gate reads the policy as it is on the
// base (a pull request must not loosen its own policy) and the project as it is at the head.
import { DAMAGED_REPOSITORY, gitReason } from '../core/change/change';
import { ChangeControlError } from '../core/errors';
import type { Git, WorkTree } from '../core/ports';

export function commitTree(git: Git, sha: string): WorkTree {
  return {
    async readFile(relativePath) {
      const spec = `${sha}:${relativePath.replace(/^\.\//, '')}`;
      const out = await git.run(['cat-file', 'blob', spec], { okExitCodes: [128] });
      if (out.exitCode === 0) return out.stdout;
      // No such path, or a folder: not a file. Anything else (a blob git cannot read) must not
      // pass for "no such file": the gate would fall back to a preset instead of the base's policy.
      if (/does not exist in|exists on disk, but not in/.test(out.stderr)) return undefined;
      const type = await git.run(['cat-file', '-t', spec], { okExitCodes: [128] });
      if (type.exitCode === 0 && type.stdout.toString('utf8').trim() !== 'blob') return undefined;
      throw new ChangeControlError(
        'GIT_FAILED',
        `${relativePath} at commit ${sha.slice(0, 12)} cannot be read from the repository (${gitReason(type.exitCode === 0 ? out.stderr : type.stderr)}): ${DAMAGED_REPOSITORY}`,
      );
    },
  };
}
