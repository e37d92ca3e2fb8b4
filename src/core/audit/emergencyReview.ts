// Owns whether an emergency's post-implementation review happened: the follow-up issue a sign-off
// opened (found by its marker), closed by its deadline. The gate and the audit both ask this.
import type { IssueSummary } from '../github/facts';
import type { ChangeRecord } from '../signoff/changeRecord';
import { followUpMarker } from '../signoff/followUp';
import type { Finding } from './exceptions';

export interface EmergencyReview {
  reason: string;
  declaredBy: string;
  declaredAt: string;
  reviewDue: string | null;
  followUp: { number: number; url: string; state: 'open' | 'closed'; closedAt: string | null } | null;
  /** `done`: closed by its deadline; `pending`: open, not due yet; `late`: closed after or still open past it; `missing`: no follow-up issue. */
  review: 'done' | 'pending' | 'late' | 'missing';
}

export function emergencyReview(record: ChangeRecord, followUps: readonly IssueSummary[], now: Date): { review: EmergencyReview; finding: Finding | null } | null {
  const e = record.emergency;
  if (!e) return null;
  const marker = followUpMarker(record);
  const issue = followUps.find((i) => i.body.includes(marker)) ?? null;
  const due = e.reviewDue ? Date.parse(e.reviewDue) : NaN;
  const subject = record.pullRequest ? `#${record.pullRequest.number}` : record.head.slice(0, 7);
  let review: EmergencyReview['review'];
  let finding: Finding | null = null;
  if (!issue) {
    review = 'missing';
    finding = { id: 'emergency-review-missing', message: `The emergency change ${subject} has no post-implementation review issue (labelled change-control): open one for the review the policy asks for, or sign off again to have it opened.` };
  } else {
    const closedAt = issue.state === 'closed' && issue.closedAt ? Date.parse(issue.closedAt) : NaN;
    const endedAt = Number.isNaN(closedAt) ? now.getTime() : closedAt;
    if (!Number.isNaN(due) && endedAt > due) {
      review = 'late';
      finding = {
        id: 'emergency-review-late',
        message: issue.state === 'closed' ? `The post-implementation review of the emergency ${subject} (${issue.url}) was closed at ${issue.closedAt}, after it was due (${e.reviewDue}).` : `The post-implementation review of the emergency ${subject} (${issue.url}) was due by ${e.reviewDue} and is still open: hold the review and close the issue.`,
      };
    } else review = issue.state === 'closed' ? 'done' : 'pending';
  }
  return {
    review: {
      reason: e.reason,
      declaredBy: e.declaredBy,
      declaredAt: e.declaredAt,
      reviewDue: e.reviewDue,
      followUp: issue ? { number: issue.number, url: issue.url, state: issue.state, closedAt: issue.closedAt } : null,
      review,
    },
    finding,
  };
}
