// Reads working-tree files for the engine.
import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync, readSync } from 'node:fs';
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

type ReadOptions = NonNullable<Parameters<WorkTree['readFile']>[1]>;

export function fsWorkTree(root: string, options: WorkTreeOptions = {}): WorkTree {
  // A name that is not UTF-8 is only found by its bytes (fs takes a Buffer as a path).
  const resolve = (relativePath: string, read: ReadOptions) =>
    read.pathBytes ? Buffer.concat([Buffer.from(path.join(root, path.sep)), read.pathBytes]) : path.isAbsolute(relativePath) ? relativePath : path.join(root, relativePath);
  if (options.sync) {
    return {
      readFile(relativePath, read = {}) {
        try {
          return Promise.resolve(readRegularFileSync(resolve(relativePath, read), read.maxBytes));
        } catch (err) {
          const failure = readError(err, relativePath);
          return failure ? Promise.reject(failure) : Promise.resolve(undefined);
        }
      },
    };
  }
  return {
    async readFile(relativePath, read = {}) {
      const full = resolve(relativePath, read);
      try {
        const stat = await fs.stat(full);
        if (!stat.isFile()) return undefined;
        if (read.maxBytes !== undefined && stat.size > read.maxBytes) return await readStart(full, read.maxBytes + 1);
        return await fs.readFile(full);
      } catch (err) {
        const failure = readError(err, relativePath);
        if (failure) throw failure;
        return undefined;
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

/** One open, an fstat of what was opened and one read (at most `maxBytes` + 1); never waits on a FIFO or a device. */
function readRegularFileSync(full: string | Buffer, maxBytes?: number): Buffer | undefined {
  const fd = openSync(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (maxBytes === undefined || stat.size <= maxBytes) return readFileSync(fd);
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** Undefined when the file is not there; any other failure is an error that says what to check. */
function readError(err: unknown, relativePath: string): undefined | ChangeControlError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (ABSENT.has(code)) return undefined;
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new ChangeControlError('IO', `Cannot read ${relativePath}: it is larger than 2 GiB, the most Node can read at once.`);
  // An unreadable policy must not silently fall back to a preset.
  return new ChangeControlError('IO', `Cannot read ${relativePath}: ${(err as Error).message.replace(/^[A-Z]+: /, '')}. Check its permissions.`);
}
