// Keeps a branch's evidence (attestations, command runs, change record, emergency) in the
// repository's git directory, where both the CLI and the extension find it and no commit carries it.
// Every change goes through updateEvidence, under an owned lock (./ownedLock): writers wait their
// turn, a lock left by a killed writer is taken over, and a failure is one sentence with its fix.
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { emptyEvidence, EVIDENCE_VERSION, type Evidence } from '../core/checklist/evidence';
import type { RepositoryState } from '../core/change/change';
import { ChangeControlError } from '../core/errors';
import { validators } from '../core/lazyValidators';
import { acquire, LockTimeout, removeLeftovers, scratchName, type Held } from './ownedLock';

type Where = Pick<RepositoryState, 'commonDir' | 'branch' | 'headSha'>;

/** Longest key kept as it is; a longer one becomes a readable prefix and a hash, so every name fits 255 bytes with its suffixes. */
const MAX_KEY = 120;

function legacyKey(repo: Where): string {
  return repo.branch !== null ? `branch-${encodeURIComponent(repo.branch)}` : `detached-${repo.headSha ?? 'unborn'}`;
}

function fittedKey(repo: Where): string {
  const key = legacyKey(repo);
  if (key.length <= MAX_KEY) return key;
  const hash = createHash('sha256').update(repo.branch ?? '').digest('hex').slice(0, 16);
  // Cut the readable prefix before a %XX escape, never inside one.
  const prefix = key.slice(0, 80).replace(/%[0-9A-F]?$/i, '');
  return `${prefix}-${hash}`;
}

export function evidencePath(repo: Where): string {
  return path.join(repo.commonDir, 'change-control', `${fittedKey(repo)}.json`);
}

/** Where an older build kept this branch's record (the same as evidencePath for every name that fitted). */
function legacyPath(repo: Where): string {
  return path.join(repo.commonDir, 'change-control', `${legacyKey(repo)}.json`);
}

export interface EvidenceRead {
  evidence: Evidence;
  /** Set when the stored file could not be read: it was moved aside (or kept in place), never overwritten. */
  warning?: string;
}

type Found =
  | { kind: 'none' }
  | { kind: 'ok'; evidence: Evidence }
  /** A newer build's record this build cannot read whole: kept where it is, read as far as it can be. */
  | { kind: 'newer'; evidence: Evidence; file: string; version: number; reason: string }
  | { kind: 'unreadable'; file: string; text: string; reason: string };

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

function firstLine(err: unknown): string {
  return (err as Error).message.split('\n')[0];
}

/** Whatever parts of a newer record this build understands, the rest kept as they are. */
function asFarAsItCan(raw: Record<string, unknown>): Evidence {
  const out: Record<string, unknown> = { ...emptyEvidence() };
  for (const [key, value] of Object.entries(raw)) {
    const one = validators().EvidenceSchema.safeParse({ ...emptyEvidence(), [key]: value });
    if (one.success) out[key] = (one.data as Record<string, unknown>)[key];
  }
  return out as Evidence;
}

async function find(repo: Where): Promise<Found> {
  let file = evidencePath(repo);
  let text = await readText(file);
  if (text === null && legacyPath(repo) !== file) {
    file = legacyPath(repo);
    text = await readText(file);
  }
  if (text === null) return { kind: 'none' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'unreadable', file, text, reason: firstLine(err) };
  }
  const parsed = validators().EvidenceSchema.safeParse(raw);
  if (parsed.success) return { kind: 'ok', evidence: parsed.data };
  const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).slice(0, 3).join('; ');
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > EVIDENCE_VERSION && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    return { kind: 'newer', evidence: asFarAsItCan(raw as Record<string, unknown>), file, version, reason };
  }
  return { kind: 'unreadable', file, text, reason };
}

/** Moves an unreadable record aside; the caller holds the lock. Says whether it moved, and the warning. */
async function moveAside(found: Extract<Found, { kind: 'unreadable' }>): Promise<{ moved: boolean; warning: string }> {
  const aside = `${found.file}.unreadable-${Date.now()}`;
  try {
    await fs.rename(found.file, aside);
    return { moved: true, warning: `The stored checklist record ${found.file} could not be read (${found.reason}); it was kept as ${aside}.` };
  } catch (err) {
    return { moved: false, warning: `The stored checklist record ${found.file} could not be read (${found.reason}) and could not be moved aside (${(err as NodeJS.ErrnoException).code ?? firstLine(err)}); it is left as it is — fix or remove it by hand.` };
  }
}

function newerWarning(found: Extract<Found, { kind: 'newer' }>): string {
  return `The stored checklist record ${found.file} was written by a newer Change Control (format version ${found.version}) and this one cannot read all of it (${found.reason}); it is kept as it is — update Change Control to use all of it.`;
}

export async function readEvidence(repo: Where): Promise<EvidenceRead> {
  const found = await find(repo);
  if (found.kind === 'none') return { evidence: emptyEvidence() };
  if (found.kind === 'ok') return { evidence: found.evidence };
  if (found.kind === 'newer') return { evidence: found.evidence, warning: newerWarning(found) };
  // Move an unreadable record aside only under the lock, and only if it is still the same text
  // (a writer may have replaced it meanwhile).
  let held: Held | null = null;
  try {
    held = await acquire(`${evidencePath(repo)}.lock`, 2_000);
  } catch {
    return { evidence: emptyEvidence(), warning: `The stored checklist record ${found.file} could not be read (${found.reason}); it is left as it is for now.` };
  }
  try {
    const again = await find(repo);
    if (again.kind !== 'unreadable') return again.kind === 'none' ? { evidence: emptyEvidence() } : readEvidenceOf(again);
    return { evidence: emptyEvidence(), warning: (await moveAside(again)).warning };
  } finally {
    await held.release().catch(() => undefined);
  }
}

function readEvidenceOf(found: Extract<Found, { kind: 'ok' | 'newer' }>): EvidenceRead {
  return found.kind === 'ok' ? { evidence: found.evidence } : { evidence: found.evidence, warning: newerWarning(found) };
}

/** One sentence for a failed write: what is wrong and what to do. */
function ioError(err: unknown, file: string): ChangeControlError {
  const code = (err as NodeJS.ErrnoException).code;
  const dir = path.dirname(file);
  const say: Record<string, string> = {
    EROFS: `The checklist record could not be saved: ${dir} is on a read-only file system; make the repository writable and try again.`,
    EACCES: `The checklist record could not be saved: permission to write in ${dir} is denied; make the folder writable for this user and try again.`,
    EPERM: `The checklist record could not be saved: permission to write in ${dir} is denied; make the folder writable for this user and try again.`,
    ENOSPC: `The checklist record could not be saved: the disk holding ${dir} is full; free some space and try again.`,
    EDQUOT: `The checklist record could not be saved: the disk quota for ${dir} is used up; free some space and try again.`,
    ENAMETOOLONG: `The checklist record could not be saved: the path ${file} is too long for this file system; use a shorter folder for the repository.`,
    EISDIR: `The checklist record could not be saved: ${file} is a folder; move it away and try again.`,
    ENOTDIR: `The checklist record could not be saved: part of ${dir} is a file, not a folder; move it away and try again.`,
  };
  return new ChangeControlError('IO', say[code ?? ''] ?? `The checklist record ${file} could not be saved (${code ?? firstLine(err)}); check that the folder is writable and try again.`);
}

async function writeFile(file: string, evidence: Evidence): Promise<void> {
  const text = `${JSON.stringify(validators().EvidenceSchema.parse(evidence), null, 2)}\n`;
  const tmp = scratchName(file, 'tmp');
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw ioError(err, file);
  }
}

/** Writes the whole record, replacing what is stored; prefer updateEvidence, which takes the lock. */
export async function writeEvidence(repo: Where, evidence: Evidence): Promise<void> {
  await writeFile(evidencePath(repo), evidence);
}

/**
 * Reads, changes and writes the branch's evidence under the owned lock, so the CLI and the editor
 * (or two windows) never overwrite each other's records. A writer waits its turn, up to `timeoutMs`.
 */
export async function updateEvidence(repo: Where, change: (evidence: Evidence) => Evidence, timeoutMs = 30_000): Promise<Evidence> {
  const file = evidencePath(repo);
  const lock = `${file}.lock`;
  let held: Held;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    held = await acquire(lock, timeoutMs);
  } catch (err) {
    if (err instanceof LockTimeout) {
      const who = err.holder ? ` (process ${err.holder.pid} on ${err.holder.host})` : '';
      throw new ChangeControlError('IO', `Another Change Control has been changing the checklist record for ${Math.round(timeoutMs / 1000)} s${who} and it is still not free; try again when it has finished, or delete ${lock} if no Change Control is running.`);
    }
    throw ioError(err, lock);
  }
  try {
    // What writers killed mid-write left behind goes now, under the lock.
    await removeLeftovers(path.dirname(file), lock);
    const found = await find(repo);
    if (found.kind === 'newer') {
      throw new ChangeControlError('IO', `The checklist record ${found.file} was written by a newer Change Control (format version ${found.version}) that this one cannot fully read, so it was not changed; update Change Control and try again.`);
    }
    if (found.kind === 'unreadable') {
      const aside = await moveAside(found);
      if (!aside.moved) throw new ChangeControlError('IO', `${aside.warning.replace(/ — fix or remove it by hand\.$/, '')}, so nothing was written; fix or remove it by hand and try again.`);
    }
    const next = change(found.kind === 'ok' ? found.evidence : emptyEvidence());
    await writeFile(file, next);
    return next;
  } finally {
    await held.release().catch(() => undefined);
  }
}
