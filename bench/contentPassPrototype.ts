// A prototype of a cheaper content pass, kept in the benchmark as evidence for a suggested engine
// change (src/core/change/changedLines.ts is not the benchmark's to edit).
//
// Why: readChangedLines runs `git diff -U0 <base> -- <one literal pathspec per candidate path>`.
// git matches every index entry against every pathspec, so that command costs
// O(index entries × candidate paths): on 100,000 files with ~400 candidates it costs more CPU than
// the floor itself, and it can only start after the floor has listed the change.
//
// The prototype: the floor's diff prints `--raw` instead of `--name-status` (same walk, same cost,
// but it also names the base blob and, for files the index already holds, the new blob), then
//   1. one `git cat-file --batch` reads the blobs of the candidates (base side, and new side when
//      git knows it), with no pathspec and no index walk;
//   2. the working-tree side of dirty files is read from disk;
//   3. the changed lines come from a line diff in process (Myers, after trimming the common head
//      and tail), with the same ChangedLine shape readChangedLines returns.
import type { ChangedLine } from '../src/core/change/changedLines';
import type { Git, WorkTree } from '../src/core/ports';

const ZERO = '0000000000000000000000000000000000000000';
const MAX_SCANNED_BYTES = 4 * 1024 * 1024;
/** Beyond this many edits in the middle of a file, every middle line counts as changed. */
const MAX_EDITS = 2000;

export interface RawEntry {
  status: string;
  oldOid: string;
  newOid: string;
  path: string;
  oldPath?: string;
}

/** The floor's diff with `--raw` instead of `--name-status`. */
export function rawDiffArgs(baseSha: string, headSha: string | null): string[] {
  const args = ['diff', '--raw', '--no-abbrev', '-z', '-M', '--no-ext-diff', '--ignore-submodules=none', baseSha];
  if (headSha !== null) args.push(headSha);
  return [...args, '--', ':(top)'];
}

export function parseRaw(out: Buffer): RawEntry[] {
  const parts = out.toString('utf8').split('\0');
  const entries: RawEntry[] = [];
  for (let i = 0; i < parts.length; ) {
    const meta = parts[i++];
    if (!meta.startsWith(':')) continue;
    const [, , oldOid, newOid, status] = meta.slice(1).split(' ');
    if (status[0] === 'R' || status[0] === 'C') {
      const oldPath = parts[i++];
      entries.push({ status, oldOid, newOid, oldPath, path: parts[i++] });
    } else entries.push({ status, oldOid, newOid, path: parts[i++] });
  }
  return entries;
}

/** Reads many blobs with one `git cat-file --batch`. */
export async function readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const unique = [...new Set(oids.filter((o) => o !== ZERO))];
  if (unique.length === 0) return result;
  const out = (await git.run(['cat-file', '--batch'], { input: `${unique.join('\n')}\n` })).stdout;
  let pos = 0;
  for (const oid of unique) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const [, type, sizeText] = header.split(' ');
    if (type === 'missing' || sizeText === undefined) continue;
    const size = Number(sizeText);
    result.set(oid, out.subarray(pos, pos + size));
    pos += size + 1;
  }
  return result;
}

function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function toLines(bytes: Buffer | undefined): string[] | null {
  if (!bytes) return [];
  if (bytes.length > MAX_SCANNED_BYTES || isBinary(bytes)) return null;
  const lines = bytes.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The changed lines of the given raw entries, without any pathspec-limited git command. */
export async function changedLinesFromRaw(git: Git, workTree: WorkTree, headSha: string | null, entries: readonly RawEntry[]): Promise<Map<string, ChangedLine[]>> {
  const wanted: string[] = [];
  for (const e of entries) {
    wanted.push(e.oldOid);
    // The new side: the blob git named, else (a dirty working-tree file) the file on disk.
    if (e.newOid !== ZERO) wanted.push(e.newOid);
  }
  const blobs = await readBlobs(git, wanted);
  const result = new Map<string, ChangedLine[]>();
  await Promise.all(
    entries.map(async (e) => {
      const deleted = e.status[0] === 'D';
      const oldBytes = e.oldOid === ZERO ? undefined : blobs.get(e.oldOid);
      const newBytes = deleted ? undefined : e.newOid !== ZERO ? blobs.get(e.newOid) : headSha === null ? await workTree.readFile(e.path) : undefined;
      const a = toLines(oldBytes);
      const b = toLines(newBytes);
      if (a === null || b === null) return;
      result.set(e.path, diffLines(a, b));
    }),
  );
  return result;
}

/** Added and removed lines between two texts: Myers' O((N+M)D) diff after trimming common ends. */
export function diffLines(a: readonly string[], b: readonly string[]): ChangedLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const out: ChangedLine[] = [];
  const removed = (i: number) => out.push({ line: start + i + 1, text: a[start + i], side: 'removed' });
  const added = (j: number) => out.push({ line: start + j + 1, text: b[start + j], side: 'added' });
  const everything = () => {
    for (let i = 0; i < n; i++) removed(i);
    for (let j = 0; j < m; j++) added(j);
    return out;
  };
  if (n === 0 || m === 0) return everything();
  const max = n + m;
  const offset = max + 1; // so that the band [-d-1, d+1] never starts below index 0
  const v = new Int32Array(2 * max + 3);
  // trace[d]: the band k ∈ [-d-1, d+1] of V at the start of round d (O(D²) memory, not O(D·(N+M))).
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    if (d > MAX_EDITS) return everything(); // too different to align cheaply: all of it changed
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace to recover the edit script.
  const edits: ChangedLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const band = trace[d];
    const at = (k: number) => band[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (x === prevX) edits.push({ line: start + y, text: b[start + y - 1], side: 'added' });
    else edits.push({ line: start + x, text: a[start + x - 1], side: 'removed' });
    x = prevX;
    y = prevY;
  }
  edits.reverse();
  return edits;
}
