// The value the engine hands every door: how risky a change is, why, and what it still needs.
import type { FileStatus, RepositoryState, ChangeBase } from './change/change';
import type { MigrationAnalysis } from './migrations/types';
import type { PolicySource } from './policy/load';

export type ReasonRule = 'zone' | 'content' | 'components' | 'migration' | 'migration-history' | 'freeze';

export interface Reason {
  rule: ReasonRule;
  /** The zone, component rule, migration framework or freeze window behind the reason. */
  id: string;
  /** The level this reason raises the change to. */
  level: string;
  path: string | null;
  line: number | null;
  message: string;
}

export interface AssessedFile {
  path: string;
  status: FileStatus;
  oldPath?: string;
  zones: string[];
  components: string[];
}

export type ItemState = 'done' | 'pending' | 'failed' | 'not-applicable';

export interface ChecklistEntry {
  id: string;
  title: string;
  /** A policy checklist kind, or `freeze` for the freeze-window gate. */
  kind: string;
  required: boolean;
  state: ItemState;
  /** Why the item has this state, in a sentence. */
  why: string;
  /** What asked for the item: `level`, `zone:<id>`, `migrations`, `emergency`, `post-review`, `freeze`. */
  source: string;
  /** For commands: what to run. For change-request items: the fields still missing. */
  command?: string;
  missingFields?: string[];
  /** For attestations that were made and then outdated by later changes. */
  stale?: boolean;
}

export interface ActiveFreeze {
  title: string;
  from: string;
  until: string;
  mode: 'block' | 'emergency-only';
}

export interface Assessment {
  repository: RepositoryState;
  base: ChangeBase;
  head: string | null;
  policy: { source: PolicySource; name: string | null };
  level: { id: string; title: string; index: number };
  /** All levels of the policy, least risky first. */
  levels: { id: string; title: string }[];
  reasons: Reason[];
  files: AssessedFile[];
  zones: string[];
  components: string[];
  migrations: MigrationAnalysis[];
  checklist: ChecklistEntry[];
  freeze: ActiveFreeze | null;
  emergency: { declaredAt: string; by: string; reason: string; reviewDue: string | null } | null;
  /** Things the engine could not look at, said plainly (e.g. a file too large to scan). */
  notes: string[];
}
