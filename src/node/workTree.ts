// Reads working-tree files for the engine.
import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../core/errors';
import type { WorkTree } from '../core/ports';

/** Errors that mean "there is no such file here", as opposed to "it is there but unreadable". */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

export interface WorkTreeOptions {
  /**
   * Read each file at once, synchronously, when asked: for a process that does nothing else
   * meanwhile (the CLI), a batch of reads costs a fraction of the same reads through the thread
   * pool. The editor's host keeps the default, which never blocks it.
   */
  sync?: boolean;
}

export function fsWorkTree(root: string, options: WorkTreeOptions = {}): WorkTree {
  const resolve = (relativePath: string) => (path.isAbsolute(relativePath) ? relativePath : path.join(root, relativePath));
  if (options.sync) {
    return {
      readFile(relativePath) {
        try {
          return Promise.resolve(readRegularFileSync(resolve(relativePath)));
        } catch (err) {
          const failure = readError(err, relativePath);
          return failure ? Promise.reject(failure) : Promise.resolve(undefined);
        }
      },
    };
  }
  return {
    async readFile(relativePath) {
      const full = resolve(relativePath);
      try {
        const stat = await fs.stat(full);
        if (!stat.isFile()) return undefined;
        return await fs.readFile(full);
      } catch (err) {
        const failure = readError(err, relativePath);
        if (failure) throw failure;
        return undefined;
      }
    },
  };
}

/** One open, an fstat of what was opened and one read; never waits on a FIFO or a device. */
function readRegularFileSync(full: string): Buffer | undefined {
  const fd = openSync(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Undefined when the file is not there; any other failure is an error that says what to check. */
function readError(err: unknown, relativePath: string): undefined | ChangeControlError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (ABSENT.has(code)) return undefined;
  // An unreadable policy must not silently fall back to a preset.
  return new ChangeControlError('IO', `Cannot read ${relativePath}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}. Check its permissions.`);
}
