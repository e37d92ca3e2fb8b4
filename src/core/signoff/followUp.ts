// Owns the follow-up of an emergency: the GitHub issue that holds its post-implementation review,
// due by the policy's deadline, assigned to and mentioning the policy's owner. Found again by a
// hidden marker so that signing off again never opens a second one.
import type { Assessment } from '../assessment';
import type { IssueSummary, NewIssue } from '../github/facts';
import type { Policy } from '../policy/schema';
import type { ChangeRecord } from './changeRecord';

/** Every issue Change Control opens carries this label (GitHub creates it on first use). */
export const FOLLOW_UP_LABEL = 'change-control';

export interface FollowUpPlan {
  action: 'create' | 'keep';
  marker: string;
  issue: NewIssue;
  existing: IssueSummary | null;
  due: string | null;
}

/** What the follow-up is about: `owner/name#7`, or `owner/name@<sha>` without a pull request. */
function followUpSubject(record: ChangeRecord): string {
  return record.pullRequest ? `${record.repository}#${record.pullRequest.number}` : `${record.repository}@${record.head}`;
}

/** The hidden line that finds the follow-up issue of this record's change again. */
export function followUpMarker(record: ChangeRecord): string {
  return `<!-- change-control:post-review ${followUpSubject(record)} -->`;
}

/** The follow-up issue of an emergency sign-off, or null when the change is not an emergency. */
export function planFollowUp(policy: Policy, assessment: Assessment, record: ChangeRecord, existing: readonly IssueSummary[]): FollowUpPlan | null {
  const emergency = assessment.emergency;
  if (!emergency) return null;
  const subject = followUpSubject(record);
  const marker = followUpMarker(record);
  const found = existing.find((i) => i.body.includes(marker)) ?? null;
  const owner = policy.owner ? (policy.owner.startsWith('@') ? policy.owner : `@${policy.owner}`) : null;
  const items = assessment.checklist.filter((e) => e.source === 'post-review' || e.kind === 'post-review');
  const due = emergency.reviewDue;
  const what = record.pullRequest ? `pull request ${record.pullRequest.url}` : `commit ${record.head.slice(0, 7)} of ${record.repository}`;
  const body = [
    marker,
    `An emergency change was signed off by @${record.signer} on ${record.signedAt}: ${what}.`,
    '',
    `**Why it was an emergency** (declared by ${emergency.by} at ${emergency.declaredAt}): ${emergency.reason.replace(/</g, '&lt;')}`,
    '',
    due ? `**The post-implementation review is due by ${due}.**` : '**The policy sets no deadline for the post-implementation review.**',
    '',
    ...(items.length ? ['What the review needs:', ...items.map((e) => `- [ ] ${e.title}`), ''] : []),
    owner ? `${owner}: this review is yours (the policy's owner).` : 'The policy names no `owner`: assign this review to the person who owns the process.',
  ].join('\n');
  const assignees = owner && !owner.includes('/') ? [owner.slice(1)] : [];
  const title = `Post-implementation review: emergency change ${subject}${due ? ` (due ${due.slice(0, 10)})` : ''}`;
  return { action: found ? 'keep' : 'create', marker, issue: { title, body, assignees, labels: [FOLLOW_UP_LABEL] }, existing: found, due };
}
