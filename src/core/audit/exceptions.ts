// The exceptions a gate or an audit can find, by stable id: the same ids in the gate's output and
// in every audit format, so GRC tools and scripts can rely on them. Declared once, here.

export const EXCEPTIONS = {
  'no-signoff': 'Merged (or about to be) without a sign-off of its final head',
  'signer-not-allowed': 'Signed off by someone the policy does not allow to sign off, or by a token that is not a person',
  'record-missing': 'The sign-off status points at no change record on this pull request',
  'record-edited': 'The change record was edited after the sign-off, or was written by someone else than the signer',
  'record-mismatch': 'The change record does not match the sign-off: another commit, another pull request or another digest',
  'level-below-recomputed': 'The change record names a lower level than the change has now',
  'no-owner-approval': 'A required approval is missing',
  'self-approved-only': 'Approved only by its author, or by reviewers without write access',
  'stale-approval': 'Approved only on an earlier commit than its final head, where the policy forbids it',
  'unresolved-threads': 'Review threads are not resolved',
  'emergency-review-missing': 'An emergency without its post-implementation review',
  'emergency-review-late': 'An emergency whose post-implementation review is overdue',
  'direct-push': 'Pushed to the base branch without a pull request',
  'signoff-unverifiable': 'Signed off with a status that carries no change record (gh-signoff, make signoff): not verifiable',
} as const;

export type ExceptionId = keyof typeof EXCEPTIONS;

export const EXCEPTION_IDS = Object.keys(EXCEPTIONS) as ExceptionId[];

/** One exception found, with the sentence that says what is wrong here and what to do. */
export interface Finding {
  id: ExceptionId;
  message: string;
}
