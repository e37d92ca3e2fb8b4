// Holds the audit's entries on disk while the period is read: one JSON line each in a private
// temporary file, with a small index in memory (key, order, where the line is). The report is then
// written in a stable order — pull requests by merge time, then direct pushes by time — reading one
// entry at a time, so a period with ten thousand pull requests is never held in memory.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { entryKey, type AuditEntry } from '../../core/audit/audit';

interface Slot {
  key: string;
  order: string;
  offset: number;
  length: number;
}

export class AuditSpool {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'change-control-audit-'));
  private readonly fd = openSync(path.join(this.dir, 'entries.jsonl'), 'w+', 0o600);
  private readonly slots: Slot[] = [];
  private size = 0;

  add(entry: AuditEntry): void {
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    writeSync(this.fd, bytes, 0, bytes.length, this.size);
    const order = entry.kind === 'pull-request' ? `0 ${entry.mergedAt} ${String(entry.number).padStart(10, '0')}` : `1 ${entry.committedAt} ${entry.sha}`;
    this.slots.push({ key: entryKey(entry), order, offset: this.size, length: bytes.length });
    this.size += bytes.length;
  }

  keys(): string[] {
    return this.slots.map((s) => s.key);
  }

  /** The entries in report order; only those whose key is in `only`, when given. */
  *entries(only?: ReadonlySet<string>): Generator<AuditEntry> {
    const slots = this.slots.filter((s) => !only || only.has(s.key)).sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    for (const slot of slots) {
      const buffer = Buffer.alloc(slot.length);
      readSync(this.fd, buffer, 0, slot.length, slot.offset);
      yield JSON.parse(buffer.toString('utf8')) as AuditEntry;
    }
  }

  dispose(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
