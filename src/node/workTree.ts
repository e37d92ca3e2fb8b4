// Reads working-tree files for the engine.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WorkTree } from '../core/ports';

export function fsWorkTree(root: string): WorkTree {
  return {
    async readFile(relativePath) {
      const full = path.isAbsolute(relativePath) ? relativePath : path.join(root, relativePath);
      try {
        const stat = await fs.stat(full);
        if (!stat.isFile()) return undefined;
        return await fs.readFile(full);
      } catch {
        return undefined;
      }
    },
  };
}
