// Owns the machine-readable form of an assessment: the CLI's `--format json`, a stable contract
// for CI scripts. Exactly these top-level fields, in this order.
import type { Assessment } from '../assessment';

export interface JsonReport {
  level: string;
  levelTitle: string;
  base: string;
  /** Why the change is not "this branch since it left the base" (on the base branch itself), or null. */
  baseNote: string | null;
  head: string | null;
  /** `pathBytes`: the name's bytes in base64, only for a name that is not UTF-8 (see README, "Names that are not UTF-8"). */
  files: { path: string; pathBytes?: string; status: string; zones: string[]; components: string[] }[];
  reasons: { rule: string; id: string; level: string; path: string | null; line: number | null; message: string }[];
  zones: string[];
  components: string[];
  migrations: {
    path: string;
    framework: string;
    columnsOnly: boolean;
    operations: { kind: string; table: string | null; column: string | null; line: number; direction: string; dynamicPrefix?: string }[];
  }[];
  checklist: { id: string; title: string; kind: string; required: boolean; state: string }[];
}

export function toJsonReport(a: Assessment): JsonReport {
  return {
    level: a.level.id,
    levelTitle: a.level.title,
    base: a.base.sha,
    baseNote: a.base.note ?? null,
    head: a.head,
    files: a.files.map((f) => ({ path: f.path, ...(f.pathBytes ? { pathBytes: f.pathBytes.toString('base64') } : {}), status: f.status, zones: [...f.zones].sort(), components: f.components })),
    reasons: a.reasons.map((r) => ({ rule: r.rule, id: r.id, level: r.level, path: r.path, line: r.line, message: r.message })),
    zones: a.zones.map((z) => z.id),
    components: a.components,
    migrations: a.migrations.map((m) => ({
      path: m.path,
      framework: m.framework,
      columnsOnly: m.columnsOnly,
      operations: m.operations.map((o) => ({ kind: o.kind, table: o.table, column: o.column, line: o.line, direction: o.direction, ...(o.dynamicPrefix ? { dynamicPrefix: o.dynamicPrefix } : {}) })),
    })),
    checklist: a.checklist.map((c) => ({ id: c.id, title: c.title, kind: c.kind, required: c.required, state: c.state })),
  };
}
