// An owned lock file: it says who holds it (pid, host, a random token), it is created whole and
// atomically (a complete file is hard-linked into place, which fails if the lock exists), it is
// released only by its holder (only while it still holds the holder's token), and a lock left by a
// dead holder is taken over without ever deleting a live holder's lock.
//
// Taking over: a writer that finds the holder dead claims the takeover of that one dead token by
// creating `<lock>.reap-<token>-<n>` exclusively (n = 1, or the next number when every earlier
// claimant is dead too), re-reads the lock under that claim, and only if it still holds the dead
// token renames its own fresh lock over it. Tokens are never reused, so a late claimant that reads
// the lock after the takeover sees another token and backs off.
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as path from 'node:path';

interface Holder {
  pid: number;
  host: string;
  token: string;
  at: string;
}

interface Seen {
  /** The holder's token, or for a lock with no holder in it (an older build's empty lock) its inode and time. */
  id: string;
  holder: Holder | null;
  ageMs: number;
}

/** A lock whose holder cannot be checked (another host, or an older build's empty lock) is stale after this. */
const UNCHECKABLE_STALE_MS = 60_000;
/** Even with a live pid (which may be a reused one), a lock held this long is left by a crashed writer. */
const ANY_STALE_MS = 10 * 60_000;

export class LockTimeout extends Error {
  constructor(readonly holder: Holder | null) {
    super('lock timeout');
  }
}

export interface Held {
  release(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function look(file: string): Promise<Seen | null> {
  let stat;
  let text: string;
  try {
    stat = await fs.stat(file);
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const ageMs = Date.now() - stat.mtimeMs;
  try {
    const h = JSON.parse(text) as Holder;
    if (typeof h.token === 'string' && typeof h.pid === 'number' && typeof h.host === 'string') return { id: h.token, holder: h, ageMs };
  } catch {
    // an older build's empty lock, or a damaged one
  }
  return { id: `legacy-${stat.ino}-${Math.round(stat.mtimeMs)}`, holder: null, ageMs };
}

function dead(seen: Seen): boolean {
  if (seen.ageMs > ANY_STALE_MS) return true;
  if (!seen.holder || seen.holder.host !== hostname()) return seen.ageMs > UNCHECKABLE_STALE_MS;
  return !pidAlive(seen.holder.pid);
}

/** Writes `content` to a new file and links it to `target`; false if `target` exists. */
async function createWhole(target: string, content: string): Promise<boolean> {
  const tmp = scratchName(target, 'new');
  await fs.writeFile(tmp, content, { flag: 'wx' });
  try {
    await fs.link(tmp, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function removeIfStill(file: string, id: string): Promise<void> {
  const seen = await look(file).catch(() => null);
  if (seen?.id === id) await fs.rm(file, { force: true });
}

/**
 * Claims the takeover of a dead lock. True when this writer now holds `lock` (its fresh lock was
 * renamed over the dead one); false when the lock changed meanwhile or another live writer is
 * taking it over (the caller waits and looks again).
 */
async function takeOver(lock: string, deadId: string, me: Holder, content: string): Promise<boolean> {
  const claimContent = JSON.stringify({ ...me, token: `${me.token}-claim` });
  for (let n = 1; n < 50; n++) {
    const claim = `${lock}.reap-${deadId.slice(0, 40)}-${n}`;
    if (!(await createWhole(claim, claimContent))) {
      const other = await look(claim);
      if (other === null) return false; // the takeover just finished: look at the lock again
      if (!dead(other)) return false; // a live writer is taking it over
      continue; // that claimant died: claim the next number
    }
    try {
      const now = await look(lock);
      if (now?.id !== deadId) return false;
      const fresh = scratchName(lock, 'new', me.token);
      await fs.writeFile(fresh, content, { flag: 'wx' });
      try {
        await fs.rename(fresh, lock);
      } catch (err) {
        await fs.rm(fresh, { force: true });
        throw err;
      }
      // Every claim on this dead token is over now; later claimants re-read and see our token.
      for (let k = 1; k <= n; k++) await fs.rm(`${lock}.reap-${deadId.slice(0, 40)}-${k}`, { force: true });
      return true;
    } finally {
      await fs.rm(claim, { force: true });
    }
  }
  return false;
}

/** Waits (with backoff) for the lock, up to `timeoutMs`; throws LockTimeout naming the holder. */
export async function acquire(lock: string, timeoutMs: number): Promise<Held> {
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), at: new Date().toISOString() };
  const content = JSON.stringify(me);
  const deadline = Date.now() + timeoutMs;
  let pause = 5;
  for (;;) {
    if (await createWhole(lock, content)) break;
    const seen = await look(lock);
    if (seen !== null && dead(seen) && (await takeOver(lock, seen.id, me, content))) break;
    if (Date.now() > deadline) throw new LockTimeout(seen?.holder ?? null);
    await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 100);
  }
  return { release: () => removeIfStill(lock, me.token) };
}

/**
 * A scratch file beside `target`, named for its owner: `<target>.<pid>-<random>.<ext>`, so a file a
 * killed writer leaves behind can be told from one a live writer is still using (removeLeftovers).
 */
export function scratchName(target: string, ext: 'new' | 'tmp', random = randomBytes(6).toString('hex')): string {
  return `${target}.${process.pid}-${random}.${ext}`;
}

/** A scratch file whose owner is dead is removed once this old: a live writer on another host sharing the folder is done within it. */
const LEFTOVER_DEAD_OWNER_MS = 30_000;

/**
 * Removes what killed writers left in `dir`: scratch files (`*.new`, `*.tmp`) whose owner's
 * process is gone (or older than any write takes), and takeover claims of `lock` by a dead
 * claimant on a token the lock no longer holds. The caller holds `lock`. Never fails a write: a
 * file that cannot be removed is left for the next one.
 */
export async function removeLeftovers(dir: string, lock: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const claimPrefix = `${path.basename(lock)}.reap-`;
  const current = names.some((n) => n.startsWith(claimPrefix)) ? await look(lock).catch(() => null) : null;
  await Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      try {
        const scratch = /\.(?:(\d+)-)?[0-9a-f]+\.(?:new|tmp)$/.exec(name);
        if (scratch) {
          const pid = scratch[1] === undefined ? undefined : Number(scratch[1]);
          const ageMs = Date.now() - (await fs.stat(file)).mtimeMs;
          // Without a pid (an older build's name), only age tells.
          const gone = ageMs > ANY_STALE_MS || (pid !== undefined && pid !== process.pid && ageMs > LEFTOVER_DEAD_OWNER_MS && !pidAlive(pid));
          if (gone) await fs.rm(file, { force: true });
          return;
        }
        if (name.startsWith(claimPrefix) && /-\d+$/.test(name)) {
          // A claim on the lock's own token is a takeover under way (or to be judged by the next claimant).
          const deadId = name.slice(claimPrefix.length).replace(/-\d+$/, '');
          if (current && current.id.slice(0, 40) === deadId) return;
          const claimant = await look(file);
          if (claimant && dead(claimant)) await fs.rm(file, { force: true });
        }
      } catch {
        /* left for the next write */
      }
    }),
  );
}
