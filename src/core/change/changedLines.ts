// Owns the changed lines of a change, read only for the paths that content rules look at: a
// `-U0` diff of the whole change would cost more than everything else together.
import type { Git, WorkTree } from '../ports';
import type { ChangedFile } from './change';

export interface ChangedLine {
  /** 1-based line: in the new file for added lines, in the old file for removed ones. */
  line: number;
  text: string;
  side: 'added' | 'removed';
}

/** Files larger than this are not scanned line by line (generated or vendored content). */
export const MAX_SCANNED_BYTES = 4 * 1024 * 1024;
/** Keeps a single command line well under the OS limit. */
const MAX_ARGS_BYTES = 64 * 1024;

export async function readChangedLines(
  git: Git,
  workTree: WorkTree,
  baseSha: string,
  headSha: string | null,
  files: readonly ChangedFile[],
  signal?: AbortSignal,
): Promise<Map<string, ChangedLine[]>> {
  const result = new Map<string, ChangedLine[]>();
  const tracked = files.filter((f) => f.status !== 'untracked');
  const untracked = files.filter((f) => f.status === 'untracked');

  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const f of tracked) {
    for (const p of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const spec = `:(top,literal)${p}`;
      if (size + spec.length > MAX_ARGS_BYTES && chunk.length) {
        chunks.push(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(spec);
      size += spec.length + 1;
    }
  }
  if (chunk.length) chunks.push(chunk);

  await Promise.all([
    ...chunks.map(async (paths) => {
      const args = ['diff', '-U0', '-M', '--no-color', '--no-ext-diff', '--ignore-submodules=none', '--src-prefix=a/', '--dst-prefix=b/', baseSha];
      if (headSha !== null) args.push(headSha);
      const out = await git.run([...args, '--', ...paths], { signal });
      for (const [path, lines] of parseUnifiedDiff(out.stdout.toString('utf8'))) result.set(path, lines);
    }),
    ...untracked.map(async (f) => {
      const bytes = await workTree.readFile(f.path);
      if (!bytes || bytes.length > MAX_SCANNED_BYTES || isBinary(bytes)) return;
      const lines = bytes.toString('utf8').split(/\r?\n/);
      if (lines[lines.length - 1] === '') lines.pop();
      result.set(
        f.path,
        lines.map((text, i) => ({ line: i + 1, text, side: 'added' as const })),
      );
    }),
  ]);
  return result;
}

export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** Parses `git diff -U0` output into changed lines per path (the new path; the old one for deletions). */
export function parseUnifiedDiff(text: string): Map<string, ChangedLine[]> {
  const result = new Map<string, ChangedLine[]>();
  let oldPath: string | null = null;
  let current: ChangedLine[] | null = null;
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('diff --git ')) {
      inHunk = false;
      current = null;
      oldPath = null;
      continue;
    }
    if (!inHunk) {
      if (line.startsWith('--- ')) {
        oldPath = diffPath(line.slice(4), 'a/');
      } else if (line.startsWith('+++ ')) {
        const newPath = diffPath(line.slice(4), 'b/');
        const key = newPath ?? oldPath;
        if (key !== null) {
          current = result.get(key) ?? [];
          result.set(key, current);
        }
      } else if (line.startsWith('@@ ')) {
        inHunk = true;
      }
    }
    if (line.startsWith('@@ ')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      if (m) {
        oldLine = Number(m[1]);
        newLine = Number(m[2]);
        // With -U0 a pure deletion's header names the line before; a pure addition's old side likewise.
      }
      continue;
    }
    if (!inHunk || current === null) continue;
    const first = line[0];
    if (first === '+') current.push({ line: newLine++, text: line.slice(1), side: 'added' });
    else if (first === '-') current.push({ line: oldLine++, text: line.slice(1), side: 'removed' });
    else if (first !== '\\') inHunk = false;
  }
  return result;
}

/** A path from a `---`/`+++` line: null for /dev/null; C-quoted paths are unquoted. */
function diffPath(raw: string, prefix: string): string | null {
  let value = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  if (value === '/dev/null') return null;
  if (value.startsWith('"')) value = unquoteC(value);
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** Undoes git's C-style quoting ("a\tb", "\303\251", "\"q\""). */
export function unquoteC(quoted: string): string {
  const body = quoted.slice(1, quoted.endsWith('"') ? -1 : undefined);
  const bytes: number[] = [];
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const next = body[++i];
    if (next >= '0' && next <= '7') {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
