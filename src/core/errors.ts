// The one error type of Change Control. Every failure a person can meet has a stable code and a
// message written for that person: what is wrong and how to fix it. Doors print `message`; they
// never print a stack trace for a ChangeControlError.

export type ErrorCode =
  | 'POLICY_NOT_FOUND'
  | 'POLICY_SYNTAX'
  | 'POLICY_INVALID'
  | 'POLICY_PRESET_UNKNOWN'
  | 'NOT_A_REPOSITORY'
  | 'GIT_FAILED'
  | 'GIT_NOT_FOUND'
  | 'REF_NOT_FOUND'
  | 'BASE_NOT_FOUND'
  | 'SHALLOW_BASE_MISSING'
  | 'USAGE'
  | 'CHECKLIST_ITEM'
  | 'COMMAND_NOT_STARTED'
  | 'IO'
  /** The editor's migration parser process stopped or did not answer: the migration counts as beyond. */
  | 'MIGRATION_PARSER'
  /** GitHub: sign in again (401). */
  | 'GITHUB_AUTH'
  /** GitHub: the token lacks a permission, a scope or SSO authorisation (403). */
  | 'GITHUB_FORBIDDEN'
  /** GitHub: the repository, commit or pull request is not there, or not visible to the token (404). */
  | 'GITHUB_NOT_FOUND'
  /** GitHub refused what was sent (422). */
  | 'GITHUB_REFUSED'
  /** GitHub's rate limit is spent; the message says when it resets. */
  | 'GITHUB_RATE_LIMITED'
  /** GitHub answered 5xx, timed out or could not be reached, after bounded retries. */
  | 'GITHUB_UNAVAILABLE'
  /** No token: sign in (editor) or set GITHUB_TOKEN / GH_TOKEN (CLI). */
  | 'GITHUB_NO_TOKEN'
  /** The GitHub repository could not be told from the remotes. */
  | 'GITHUB_REPO_UNKNOWN'
  /** A sign-off was refused: the message lists every blocker. */
  | 'SIGNOFF_BLOCKED'
  /** A recording stopped midway; the message says what was written. */
  | 'SIGNOFF_PARTIAL'
  /** A webhook notification failed after retries (never undoes a sign-off). */
  | 'NOTIFY_FAILED'
  /** A notify target's secret is not set, or holds no URL: nothing was sent. */
  | 'NOTIFY_NOT_CONFIGURED';

export interface PolicyProblem {
  /** File the problem is in (as given, usually repo-relative). */
  file: string;
  /** 1-based line and column; 0 when the problem has no position (an empty file). */
  line: number;
  column: number;
  /** Dotted key path, e.g. `zones.auth.level`. Empty for the document itself. */
  key: string;
  message: string;
}

export class ChangeControlError extends Error {
  readonly code: ErrorCode;
  /** For policy errors: every problem found, each with its position. */
  readonly problems: readonly PolicyProblem[];

  constructor(code: ErrorCode, message: string, problems: readonly PolicyProblem[] = []) {
    super(message);
    this.name = 'ChangeControlError';
    this.code = code;
    this.problems = problems;
  }
}

/** Also true for one thrown by another bundle's copy of the class (the GitHub client is its own bundle). */
export function isChangeControlError(err: unknown): err is ChangeControlError {
  return err instanceof ChangeControlError || (err instanceof Error && err.name === 'ChangeControlError' && typeof (err as { code?: unknown }).code === 'string' && Array.isArray((err as { problems?: unknown }).problems));
}
