// The value the engine hands every door: how risky a change is, why, and what it still needs.
// Everything a door shows is a field of this value; no door reads the policy's rules itself.
import type { FileStatus, RepositoryState, ChangeBase } from './change/change';
import type { MigrationAnalysis } from './migrations/types';
import type { PolicySource } from './policy/load';

export type ReasonRule = 'zone' | 'content' | 'components' | 'migration' | 'migration-history' | 'freeze';

/** A level of the policy as the doors show it: its id, title and place (0 = least risky). */
export interface LevelRef {
  id: string;
  title: string;
  index: number;
}

export interface Reason {
  rule: ReasonRule;
  /** The zone, component rule, migration framework or freeze window behind the reason. */
  id: string;
  /** The level this reason raises the change to. */
  level: string;
  /** That level's title. */
  levelTitle: string;
  /** A few words naming the rule, for a row or a CodeLens: "Authentication zone", "renames a column". */
  label: string;
  path: string | null;
  line: number | null;
  message: string;
}

export interface AssessedFile {
  path: string;
  /** The path's bytes when the name is not UTF-8 (`path` then writes each invalid byte as `\ooo`). */
  pathBytes?: Buffer;
  status: FileStatus;
  oldPath?: string;
  zones: string[];
  components: string[];
  /** The highest level the file's zones raise it to (the first level when none does). */
  level: LevelRef;
}

/** A zone that fired for this change. */
export interface AssessedZone {
  id: string;
  title: string;
  /** The level the zone raises a change to. */
  level: string;
}

export type ItemState = 'done' | 'pending' | 'failed' | 'not-applicable';

/**
 * Who completes an item: a person in the editor or terminal (`person`), GitHub's reviews and
 * records (`github`), a command run through the Runner (`command`), or the engine itself, which
 * no one can tick (`engine`: the freeze gate).
 */
export type ConfirmedBy = 'person' | 'github' | 'command' | 'engine';

/** A field of the change record, with what the branch's evidence holds for it. */
export interface ChangeRecordField {
  id: string;
  title: string;
  /** Trimmed; empty when not filled in. */
  value: string;
}

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
  confirmedBy: ConfirmedBy;
  /** Whether a person can confirm (or withdraw) it now: a checkbox in the editor, `attest` in the CLI. */
  attestable: boolean;
  /** For attestations: the zones a confirmation made now covers (later changes there make it stale). */
  covers?: string[];
  /** For commands: what to run (`run: auto` already resolved). */
  command?: string;
  /** For change-request items: the fields it asks for, and those still missing. */
  fields?: ChangeRecordField[];
  missingFields?: string[];
  /** For attestations that were made and then outdated by later changes; for a sign-off, of an earlier commit. */
  stale?: boolean;
  /** For approvals: what each approval needs and who gave it. */
  approvals?: ApprovalRequirement[];
  /** For reviews-resolved with the pull request's facts: the threads still open. */
  threads?: OpenThread[];
  /** For the sign-off item once signed off: where the change record is. */
  url?: string;
}

/** One thing an approval item needs: an approval from one (or `needed`) of `who`. */
export interface ApprovalRequirement {
  /** In words: "Head of Engineering", "a code owner of src/auth/login.ts (@acme/auth)". */
  label: string;
  /** Users (`@octocat`) and teams (`@org/team`) who can give it; empty: any reviewer with write access. */
  who: string[];
  needed: number;
  /** Who gave it (empty until the pull request's reviews are read). */
  approvedBy: string[];
  satisfied: boolean;
  /** For code owners: the changed files these owners own. */
  files?: string[];
  /** For zone owners: the zone. */
  zone?: string;
}

/** An open review thread of the pull request. */
export interface OpenThread {
  path: string;
  line: number | null;
  url: string;
  outdated: boolean;
}

/** How far the checklist is: required items that apply, done, and still open (pending or failed). */
export interface ChecklistProgress {
  required: number;
  done: number;
  open: number;
  /** Nothing required is open. */
  complete: boolean;
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
  level: LevelRef;
  /** All levels of the policy, least risky first. */
  levels: LevelRef[];
  reasons: Reason[];
  files: AssessedFile[];
  /** Zones that fired, by id. */
  zones: AssessedZone[];
  components: string[];
  migrations: MigrationAnalysis[];
  /** What the change still needs; empty when nothing changed (there is nothing to ship). */
  checklist: ChecklistEntry[];
  progress: ChecklistProgress;
  /** Every field any change-request item of this checklist asks for, in order, once each. */
  changeRecord: ChangeRecordField[];
  freeze: ActiveFreeze | null;
  emergency: { declaredAt: string; by: string; reason: string; reviewDue: string | null } | null;
  /** The branch's sign-off on GitHub, if any; `current` while HEAD is the commit signed off. */
  signoff: { by: string; at: string; commit: string; level: string; emergency: boolean; url: string | null; current: boolean } | null;
  /** Whether the policy has an emergency path, and what declaring it does. */
  emergencyPath: { title: string; reviewWithin: string | null } | null;
  /** Things the engine could not look at, said plainly (e.g. a file too large to scan). */
  notes: string[];
}
