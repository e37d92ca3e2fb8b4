// What the extension knows about one repository (or one workspace folder that is not one): the
// engine's assessment plus the door's own facts (policy problems, trust, commands running). Plain
// data, no `vscode`: the status bar, the tree and the decorations are all rendered from it.
import type { Assessment } from '../core/assessment';
import type { Evidence } from '../core/checklist/evidence';
import type { PolicyProblem } from '../core/errors';
import type { StateId } from './ids';

export interface RepositoryView {
  /** The repository root (or the folder, when it is not in a repository). */
  root: string;
  name: string;
  state: StateId;
  /** The latest assessment. With a broken policy: made with the last good policy, if there was one. */
  assessment?: Assessment;
  /** The branch's stored evidence (attestations, command runs, change record) the assessment used. */
  evidence?: Evidence;
  /** Repo-relative path of the policy file, when the repository has one. */
  policyFile?: string;
  /** Problems of the policy file on disk; non-empty means the state is `policyError`. */
  problems: readonly PolicyProblem[];
  usingLastGoodPolicy: boolean;
  /** For `failed` and `noRepository`: what went wrong, for the person reading it. */
  message?: string;
  /** Workspace trust: policy commands never run when false. */
  trusted: boolean;
  /** Checklist command items running now, by item id. */
  running: ReadonlySet<string>;
  /** How long the last assessment took (ms). */
  durationMs?: number;
  /**
   * Published from git's last listing and the files just saved, before git has listed the change
   * again (a moment later, then false). Commands that act on the change wait for the listing.
   */
  confirming?: boolean;
}
