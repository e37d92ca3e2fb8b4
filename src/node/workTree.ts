// Reads working-tree files for the engine.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../core/errors';
import type { WorkTree } from '../core/ports';

/** Errors that mean "there is no such file here", as opposed to "it is there but unreadable". */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

export function fsWorkTree(root: string): WorkTree {
  return {
    async readFile(relativePath) {
      const full = path.isAbsolute(relativePath) ? relativePath : path.join(root, relativePath);
      try {
        const stat = await fs.stat(full);
        if (!stat.isFile()) return undefined;
        return await fs.readFile(full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (ABSENT.has(code)) return undefined;
        // An unreadable policy must not silently fall back to a preset.
        throw new ChangeControlError('IO', `Cannot read ${relativePath}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}. Check its permissions.`);
      }
    },
  };
}
