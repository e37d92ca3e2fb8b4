// Keeps a branch's evidence (attestations, command runs, change record, emergency) in the
// repository's git directory, where both the CLI and the extension find it and no commit carries it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { emptyEvidence, EvidenceSchema, type Evidence } from '../core/checklist/evidence';
import type { RepositoryState } from '../core/change/change';
import { ChangeControlError } from '../core/errors';

export function evidencePath(repo: Pick<RepositoryState, 'commonDir' | 'branch' | 'headSha'>): string {
  const key = repo.branch !== null ? `branch-${encodeURIComponent(repo.branch)}` : `detached-${repo.headSha ?? 'unborn'}`;
  return path.join(repo.commonDir, 'change-control', `${key}.json`);
}

export interface EvidenceRead {
  evidence: Evidence;
  /** Set when the stored file could not be read: it was moved aside, never overwritten. */
  warning?: string;
}

export async function readEvidence(repo: Pick<RepositoryState, 'commonDir' | 'branch' | 'headSha'>): Promise<EvidenceRead> {
  const file = evidencePath(repo);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return { evidence: emptyEvidence() };
  }
  try {
    return { evidence: EvidenceSchema.parse(JSON.parse(text)) };
  } catch (err) {
    const aside = `${file}.unreadable-${Date.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    return { evidence: emptyEvidence(), warning: `The stored checklist record ${file} could not be read (${(err as Error).message.split('\n')[0]}); it was kept as ${aside}.` };
  }
}

export async function writeEvidence(repo: Pick<RepositoryState, 'commonDir' | 'branch' | 'headSha'>, evidence: Evidence): Promise<void> {
  const file = evidencePath(repo);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(EvidenceSchema.parse(evidence), null, 2)}\n`, 'utf8');
  await fs.rename(tmp, file);
}

/** A lock older than this is taken to be left by a crashed writer. */
const STALE_LOCK_MS = 10_000;

/**
 * Reads, changes and writes the branch's evidence under a lock file, so the CLI and the editor
 * (or two windows) never overwrite each other's records.
 */
export async function updateEvidence(
  repo: Pick<RepositoryState, 'commonDir' | 'branch' | 'headSha'>,
  change: (evidence: Evidence) => Evidence,
  timeoutMs = 5_000,
): Promise<Evidence> {
  const file = evidencePath(repo);
  const lock = `${file}.lock`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await (await fs.open(lock, 'wx')).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await fs.stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await fs.rm(lock, { force: true });
      else if (Date.now() > deadline) {
        throw new ChangeControlError('IO', `The checklist record is locked by another writer (${lock}); try again, or delete the lock file if no Change Control is running.`);
      } else await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    const { evidence } = await readEvidence(repo);
    const next = change(evidence);
    await writeEvidence(repo, next);
    return next;
  } finally {
    await fs.rm(lock, { force: true });
  }
}
