// Reads working-tree files for the engine.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../core/errors';
import type { WorkTree } from '../core/ports';

/** Errors that mean "there is no such file here", as opposed to "it is there but unreadable". */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

export function fsWorkTree(root: string): WorkTree {
  return {
    async readFile(relativePath, options = {}) {
      // A name that is not UTF-8 is only found by its bytes (fs takes a Buffer as a path).
      const full = options.pathBytes ? Buffer.concat([Buffer.from(path.join(root, path.sep)), options.pathBytes]) : path.isAbsolute(relativePath) ? relativePath : path.join(root, relativePath);
      try {
        const stat = await fs.stat(full);
        if (!stat.isFile()) return undefined;
        if (options.maxBytes !== undefined && stat.size > options.maxBytes) return await readStart(full, options.maxBytes + 1);
        return await fs.readFile(full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (ABSENT.has(code)) return undefined;
        if (code === 'ERR_FS_FILE_TOO_LARGE') {
          throw new ChangeControlError('IO', `Cannot read ${relativePath}: it is larger than 2 GiB, the most Node can read at once.`);
        }
        // An unreadable policy must not silently fall back to a preset.
        throw new ChangeControlError('IO', `Cannot read ${relativePath}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}. Check its permissions.`);
      }
    },
  };
}

/** The first `length` bytes of a file (fewer when it is shorter), without reading the rest. */
async function readStart(full: string | Buffer, length: number): Promise<Buffer> {
  const handle = await fs.open(full, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
