// One long-lived `git cat-file --batch` for reading many objects: the audit asks for a few objects
// of every pull request (commits, the policy, files of the tree), and spawning git for each costs
// more than reading it (a fork of a large process is several milliseconds). Requests are queued and
// answered in order, as git answers them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ChangeControlError } from '../core/errors';
import type { GitObject, ObjectReader, WorkTree } from '../core/ports';

export type { GitObject } from '../core/ports';

export class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  /** `--batch-check`: headers only (id, type, size), so that a huge object is never read. */
  private readonly check: boolean;
  private readonly waiting: { resolve: (o: GitObject | undefined) => void; reject: (e: Error) => void }[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(cwd: string, options: { check?: boolean; config?: readonly string[] } = {}) {
    this.check = options.check ?? false;
    const mode = this.check ? '--batch-check' : '--batch';
    this.child = spawn('git', ['-c', 'core.quotePath=false', ...(options.config ?? []), 'cat-file', mode], { cwd, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' }, windowsHide: true });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    const fail = (why: string) => {
      this.failed ??= new ChangeControlError('GIT_FAILED', `git cat-file ${mode} stopped (${why}): check that git works in this repository (\`git fsck\`), then try again.`);
      for (const w of this.waiting.splice(0)) w.reject(this.failed);
    };
    this.child.on('error', (e) => fail(e.message));
    this.child.on('close', (code) => fail(`exit ${code}`));
    this.child.stdin.on('error', () => {
      /* reported by close */
    });
  }

  /** Whether git stopped: a new batch must be started for further reads. */
  get stopped(): boolean {
    return this.failed !== undefined;
  }

  /** The object a name resolves to (`<sha>`, `<commit>:<path>`), or undefined when there is none. With `check`, its content is empty. */
  read(name: string): Promise<GitObject | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\0]/.test(name)) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${name}\n`);
    });
  }

  /** A work tree of a commit's files, read through this batch. */
  tree(commit: string): WorkTree {
    return {
      readFile: async (relativePath, options = {}) => {
        const object = await this.read(`${commit}:${relativePath.replace(/^\.\//, '')}`);
        if (!object || object.type !== 'blob') return undefined;
        return options.maxBytes !== undefined && object.content.length > options.maxBytes + 1 ? object.content.subarray(0, options.maxBytes + 1) : object.content;
      },
    };
  }

  close(): void {
    this.child.stdin.end();
  }

  private drain(): void {
    for (;;) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline < 0 || !this.waiting.length) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      const parts = header.split(' ');
      if (parts.length === 2 && (parts[1] === 'missing' || parts[1] === 'ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.waiting.shift()!.resolve(undefined);
        continue;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isInteger(size)) {
        this.failed = new ChangeControlError('GIT_FAILED', `git cat-file --batch answered "${header.slice(0, 80)}", which is not an object header.`);
        for (const w of this.waiting.splice(0)) w.reject(this.failed);
        return;
      }
      if (this.check) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.waiting.shift()!.resolve({ oid: parts[0], type: parts[1], size, content: Buffer.alloc(0) });
        continue;
      }
      // Header, content, and the newline git writes after it.
      if (this.buffer.length < newline + 1 + size + 1) return;
      const content = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + size));
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.waiting.shift()!.resolve({ oid: parts[0], type: parts[1], size, content });
    }
  }
}

/** A commit object's parents and author line (`Name <email> 1700000000 +0000`). */
export function commitFacts(object: GitObject): { parents: string[]; author: string } {
  const head = object.content.subarray(0, Math.max(0, object.content.indexOf('\n\n'))).toString('utf8');
  const parents: string[] = [];
  let author = '';
  for (const line of head.split('\n')) {
    if (line.startsWith('parent ')) parents.push(line.slice(7));
    else if (line.startsWith('author ')) author = line.slice(7);
  }
  return { parents, author };
}

/**
 * The engine's ObjectReader over two long-lived batches: `--batch-check` answers what an object is
 * and how large (so a huge blob is never read), `--batch` reads contents. Each starts on first use
 * and again after git stopped. `cat-file` without `--filters` or `--textconv` runs no program the
 * repository configures but one: the fetch of a missing object in a partial clone, which an
 * untrusted workspace switches off with `config` (untrustedGit's NO_FETCHING).
 */
export class PersistentObjects implements ObjectReader {
  private checks: CatFileBatch | undefined;
  private reads: CatFileBatch | undefined;

  constructor(
    private readonly root: string,
    /** `-c` settings for both gits. */
    private readonly config: readonly string[] = [],
  ) {}

  info(name: string): Promise<GitObject | undefined> {
    if (!this.checks || this.checks.stopped) this.checks = new CatFileBatch(this.root, { check: true, config: this.config });
    return this.checks.read(name);
  }

  contents(name: string): Promise<GitObject | undefined> {
    if (!this.reads || this.reads.stopped) this.reads = new CatFileBatch(this.root, { config: this.config });
    return this.reads.read(name);
  }

  close(): void {
    this.checks?.close();
    this.reads?.close();
    this.checks = this.reads = undefined;
  }
}
