// Owns the changed lines of a change, read only for the paths that content rules look at. Both
// sides come from what the change's listing already named: base blobs (and new blobs git knows)
// through one `git cat-file --batch`, dirty and untracked files from the work tree, and the lines
// from an in-process diff. No pathspec-limited git command walks the index again.
import { ChangeControlError } from '../errors';
import type { Git, ObjectReader, WorkTree } from '../ports';
import { DAMAGED_REPOSITORY, gitReason, ZERO_OID, type ChangedFile } from './change';
import { diffLines } from './lineDiff';
import { limiter } from '../limiter';

export interface ChangedLine {
  /** 1-based line: in the new file for added lines, in the old file for removed ones. */
  line: number;
  text: string;
  side: 'added' | 'removed';
}

/** Files larger than this are not scanned line by line (generated or vendored content). */
export const MAX_SCANNED_BYTES = 4 * 1024 * 1024;

/** Work-tree files read at the same time for content rules. */
const DISK_READS_AT_ONCE = 32;

export async function readChangedLines(
  git: Git,
  workTree: WorkTree,
  headSha: string | null,
  files: readonly ChangedFile[],
  signal?: AbortSignal,
  objects?: ObjectReader,
): Promise<Map<string, ChangedLine[]>> {
  const wanted: string[] = [];
  for (const f of files) {
    if (!f.blobs || f.blobs.gitlink) continue;
    if (f.blobs.oldOid !== ZERO_OID) wanted.push(f.blobs.oldOid);
    if (f.blobs.newOid !== ZERO_OID) wanted.push(f.blobs.newOid);
  }
  // Dirty and untracked files are read from disk while git reads the blobs: a few at a time (a
  // thousand dirty files must not take a thousand file descriptors), and no further than the scan limit.
  const fromDisk = new Map<string, Promise<Buffer | undefined>>();
  if (headSha === null) {
    const limit = limiter(DISK_READS_AT_ONCE);
    for (const f of files) {
      if (f.status !== 'deleted' && !f.blobs?.gitlink && (!f.blobs || f.blobs.newOid === ZERO_OID)) {
        fromDisk.set(f.path, limit(() => workTree.readFile(f.path, { maxBytes: MAX_SCANNED_BYTES, ...(f.pathBytes ? { pathBytes: f.pathBytes } : {}) })));
      }
    }
  }
  for (const p of fromDisk.values()) p.catch(() => undefined);
  const blobs = objects ? await readBlobsFrom(objects, wanted) : await readBlobs(git, wanted, signal);
  const blob = (oid: string, f: ChangedFile, side: string): Buffer | null => {
    const bytes = blobs.found.get(oid);
    if (bytes !== undefined) return bytes;
    // A side git cannot read must not be taken as empty: every line would count as added (or removed).
    const reason = blobs.stderr.trim() ? gitReason(blobs.stderr) : 'the object is missing';
    throw new ChangeControlError(
      'GIT_FAILED',
      `The ${side} version of ${f.path} (blob ${oid.slice(0, 12)}) cannot be read from the repository (${reason}): ${DAMAGED_REPOSITORY}`,
    );
  };
  const result = new Map<string, ChangedLine[]>();
  await Promise.all(
    files.map(async (f) => {
      if (f.blobs?.gitlink) return; // a submodule's commit, not text
      const oldBytes = f.blobs && f.blobs.oldOid !== ZERO_OID ? blob(f.blobs.oldOid, f, 'base') : undefined;
      const newBytes = f.status === 'deleted' ? undefined : f.blobs && f.blobs.newOid !== ZERO_OID ? blob(f.blobs.newOid, f, 'new') : await fromDisk.get(f.path);
      const a = toLines(oldBytes);
      const b = toLines(newBytes);
      if (a === null || b === null) return;
      result.set(f.path, diffLines(a, b));
    }),
  );
  return result;
}

/** The same through a git that stays running (the editor's): sizes first, then the contents of those within the limit. */
async function readBlobsFrom(objects: ObjectReader, oids: readonly string[]): Promise<{ found: Map<string, Buffer | null>; stderr: string }> {
  const result = new Map<string, Buffer | null>();
  const unique = [...new Set(oids)];
  const infos = await Promise.all(unique.map((oid) => objects.info(oid)));
  const small = unique.filter((oid, i) => {
    const info = infos[i];
    if (info?.type !== 'blob') return false;
    if (info.size <= MAX_SCANNED_BYTES) return true;
    result.set(oid, null);
    return false;
  });
  const contents = await Promise.all(small.map((oid) => objects.contents(oid)));
  small.forEach((oid, i) => {
    const object = contents[i];
    if (object?.type === 'blob') result.set(oid, object.content);
  });
  return { found: result, stderr: '' };
}

/**
 * Reads many blobs with `git cat-file`: their sizes first (`--batch-check`), then the contents of
 * those within the scan limit (`--batch`), so that a huge blob is never read into memory. A blob
 * over the limit is found as null: too large to scan.
 */
async function readBlobs(git: Git, oids: readonly string[], signal?: AbortSignal): Promise<{ found: Map<string, Buffer | null>; stderr: string }> {
  const result = new Map<string, Buffer | null>();
  const unique = [...new Set(oids)];
  if (unique.length === 0) return { found: result, stderr: '' };
  const check = await git.run(['cat-file', '--batch-check'], { input: `${unique.join('\n')}\n`, signal });
  const small: string[] = [];
  const lines = check.stdout.toString('utf8').split('\n');
  unique.forEach((oid, i) => {
    const [, type, sizeText] = (lines[i] ?? '').split(' ');
    if (type !== 'blob' || sizeText === undefined) return;
    if (Number(sizeText) > MAX_SCANNED_BYTES) result.set(oid, null);
    else small.push(oid);
  });
  if (small.length === 0) return { found: result, stderr: check.stderr };
  const run = await git.run(['cat-file', '--batch'], { input: `${small.join('\n')}\n`, signal });
  const out = run.stdout;
  let pos = 0;
  for (const oid of small) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) break;
    const [, type, sizeText] = out.subarray(pos, nl).toString('utf8').split(' ');
    pos = nl + 1;
    if (type === 'missing' || sizeText === undefined) continue;
    const size = Number(sizeText);
    if (type === 'blob') result.set(oid, out.subarray(pos, pos + size));
    pos += size + 1;
  }
  // A corrupt object reads as "missing" on stdout; stderr says why.
  return { found: result, stderr: `${check.stderr}${run.stderr}` };
}

export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** The file's lines (CRLF or LF), or null when it is binary or too large to scan (null: known too large). */
function toLines(bytes: Buffer | null | undefined): string[] | null {
  if (bytes === null) return null;
  if (!bytes || bytes.length === 0) return [];
  if (bytes.length > MAX_SCANNED_BYTES || isBinary(bytes)) return null;
  const lines = bytes.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  return lines;
}
