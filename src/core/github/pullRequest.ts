// The facts about one pull request that its checklist is verified against: who reviewed it with
// what latest opinion, on which commit, whether they can write, which teams they are in, and its
// review threads. A door gathers them through the GitHub port; `latestReviews` is GitHub's rule
// for which review of a reviewer counts, and lives here so that every door applies it the same.
import type { ReviewRecord, ReviewThreadRecord, TeamMembership } from './facts';

export type ReviewerState = 'approved' | 'changes-requested' | 'dismissed' | 'commented';

export interface ReviewerFact {
  login: string;
  /** The reviewer's latest opinion: approval, changes requested or dismissed; `commented` when only comments. */
  state: ReviewerState;
  /** The commit that review was given on. */
  commit: string;
  submittedAt: string;
  url: string;
  /** Whether the reviewer has write access (GitHub counts only their approvals). */
  canWrite: boolean;
  /** Membership in each team the policy or CODEOWNERS names, by lowercased `org/slug`. */
  teams: Record<string, TeamMembership>;
}

export interface PullRequestFacts {
  number: number;
  url: string;
  author: string;
  headSha: string;
  headRef: string;
  baseRef: string;
  reviewers: ReviewerFact[];
  threads: ReviewThreadRecord[];
}

/**
 * Each reviewer's review that counts, by GitHub's rule: the latest approval, change request or
 * dismissal; a later comment does not undo an approval; pending reviews are not submitted.
 * The pull request's author is left out: their own review never counts.
 */
export function latestReviews(reviews: readonly ReviewRecord[], author: string): ReviewRecord[] {
  const byReviewer = new Map<string, ReviewRecord>();
  const sorted = [...reviews].sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.id - b.id);
  for (const review of sorted) {
    const key = review.reviewer.toLowerCase();
    if (key === author.toLowerCase() || review.state === 'PENDING') continue;
    const before = byReviewer.get(key);
    // A comment after an opinion keeps the opinion; a comment alone still makes a reviewer.
    if (review.state === 'COMMENTED' && before && before.state !== 'COMMENTED') continue;
    byReviewer.set(key, review);
  }
  return [...byReviewer.values()];
}

export function reviewerState(state: ReviewRecord['state']): ReviewerState {
  switch (state) {
    case 'APPROVED':
      return 'approved';
    case 'CHANGES_REQUESTED':
      return 'changes-requested';
    case 'DISMISSED':
      return 'dismissed';
    default:
      return 'commented';
  }
}

/** A user or team as policies and CODEOWNERS write it, normalised: `octocat`, `org/team`. */
export function principal(name: string): string {
  return name.replace(/^@/, '').toLowerCase();
}

export function isTeam(name: string): boolean {
  return principal(name).includes('/');
}
