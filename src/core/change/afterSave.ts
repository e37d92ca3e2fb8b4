// Owns the change as it stands the moment the editor has saved files: git's last listing, updated
// for each saved path from what is known without listing again — the saved file on disk and the
// base's version of that path. The editor shows it at once; git's own listing follows and has the
// last word. Where a path's place cannot be known this way, there is no such change (undefined),
// and the editor waits for git.
import { createHash } from 'node:crypto';
import type { ObjectReader, WorkTree } from '../ports';
import { EMPTY_TREE, ZERO_OID, type Change, type ChangedFile } from './change';
import { MAX_SCANNED_BYTES } from './changedLines';

export interface AfterSaveReads {
  objects: ObjectReader;
  workTree: WorkTree;
  /**
   * Paths git's listing left out after an earlier save put them in: ignored files, files git is
   * told to assume unchanged, files whose clean filter undoes the edit. Not put in again.
   */
  leftOut?: ReadonlySet<string>;
}

/**
 * The change after saving `saved` (repository-relative paths) on top of `previous`, a listing of
 * the working tree. It errs only towards more: a saved file that is back to the base's content
 * stays listed until git says otherwise, never the other way round.
 */
export async function changeAfterSaves(previous: Change, saved: readonly string[], reads: AfterSaveReads): Promise<Change | undefined> {
  if (previous.head !== null) return undefined;
  const files = [...previous.files];
  for (const path of new Set(saved)) {
    // A path the change deletes or renames away is back in the work tree: git pairs renames anew.
    if (files.some((f) => f.oldPath === path || (f.path === path && (f.status === 'deleted' || f.pathBytes)))) return undefined;
    if (files.some((f) => f.path === path)) continue; // already changed: its lines are read from disk anyway
    const content = await reads.workTree.readFile(path, { maxBytes: MAX_SCANNED_BYTES });
    if (content === undefined) continue; // gone again: not part of the change
    const base = previous.base.sha === EMPTY_TREE ? undefined : await reads.objects.info(`${previous.base.sha}:${path}`);
    if (base) {
      if (base.type !== 'blob') return undefined; // a submodule or a folder in the base
      // Saved as the base has it: unchanged (a file over the scan limit is not hashed, just listed).
      if (content.length <= MAX_SCANNED_BYTES && blobId(content, base.oid.length) === base.oid) continue;
      insertTracked(files, { path, status: 'modified', blobs: { oldOid: base.oid, newOid: ZERO_OID, gitlink: false } });
    } else if (!reads.leftOut?.has(path)) {
      files.push({ path, status: 'untracked' });
    }
  }
  return { ...previous, files };
}

/**
 * One repository's saves between git's listings: which files were saved since git last listed the
 * change, and which saved paths git then left out. The editor tells it each save and each listing;
 * it answers the change to show before git has listed again.
 */
export class SavesAheadOfGit {
  private readonly saved = new Set<string>();
  private readonly leftOut = new Set<string>();

  /** A file was saved (repository-relative path). */
  save(path: string): void {
    this.saved.add(path);
  }

  /** The saves git has not listed yet: pass them to `listed` once git's listing that began after them is in. */
  pending(): string[] {
    return [...this.saved];
  }

  /** The change to show now: git's last listing with the pending saves (see changeAfterSaves). */
  changeNow(previous: Change, reads: Omit<AfterSaveReads, 'leftOut'>): Promise<Change | undefined> {
    const pending = this.pending();
    return pending.length ? changeAfterSaves(previous, pending, { ...reads, leftOut: this.leftOut }) : Promise.resolve(undefined);
  }

  /**
   * Git listed the change after the saves `pending` (as `pending()` returned them before the
   * listing began). A path those saves put into the change shown that git left out is not put in
   * again; one git lists is forgotten as left out.
   */
  listed(pending: readonly string[], shown: { before: Change; after: Change } | undefined, listing: Change): void {
    const listed = new Set(listing.files.map((f) => f.path));
    const before = new Set(shown?.before.files.map((f) => f.path));
    const after = new Set(shown?.after.files.map((f) => f.path));
    for (const path of pending) {
      this.saved.delete(path);
      if (after.has(path) && !before.has(path) && !listed.has(path)) this.leftOut.add(path);
      else this.leftOut.delete(path);
    }
  }
}

/** Git's id of a blob with this content (SHA-1, or SHA-256 in a repository that uses it). */
function blobId(content: Buffer, idLength: number): string {
  const hash = createHash(idLength === 64 ? 'sha256' : 'sha1');
  hash.update(`blob ${content.length}\0`);
  hash.update(content);
  return hash.digest('hex');
}

/** In git's order: the diff's paths sorted, the untracked ones after them. */
function insertTracked(files: ChangedFile[], file: ChangedFile): void {
  const at = files.findIndex((f) => f.status === 'untracked' || f.path > file.path);
  files.splice(at < 0 ? files.length : at, 0, file);
}
