// Owns the gate's verdict: a sign-off is verified, not trusted. Anyone with write access (and any
// workflow with `statuses: write`) can set a `signoff` status, so the latest one on the head is
// checked against everything it claims: a person the policy allows, a change record on this pull
// request written by that person, unedited, naming this head and the digest the status carries,
// at a level no lower than the change has now. Approvals and review threads are checked as they
// are now. Each finding says what is wrong and what to do.
import type { Assessment, LevelRef } from '../assessment';
import type { AuditApproval } from '../audit/audit';
import type { ExceptionId, Finding } from '../audit/exceptions';
import { emergencyReview, type EmergencyReview } from '../audit/emergencyReview';
import type { CommitStatus, IssueComment, IssueSummary, RepositoryPermission, TeamMembership } from '../github/facts';
import { principal } from '../github/pullRequest';
import type { Policy } from '../policy/schema';
import { parseChangeRecord, renderChangeRecord, shortDigest, type ChangeRecord } from './changeRecord';
import { signoffContext } from './plan';

/** The latest status of the sign-off context on the head (GitHub lists them newest first; contexts are case-insensitive). */
export function latestSignoffStatus(policy: Policy, statuses: readonly CommitStatus[]): CommitStatus | undefined {
  const context = signoffContext(policy).toLowerCase();
  return statuses.find((s) => s.context.toLowerCase() === context);
}

/** What a door found out about the status's creator: their access, and the signer teams they are in. */
export interface CreatorFacts {
  permission: RepositoryPermission;
  teams: Record<string, TeamMembership>;
}

export interface GateInput {
  policy: Policy;
  /** The change at the pull request's head, with the base's policy and the pull request's facts. */
  assessment: Assessment;
  pullRequest: { number: number; url: string; headSha: string };
  statuses: readonly CommitStatus[];
  comments: readonly IssueComment[];
  creator?: CreatorFacts;
  /** Every approval given (listApprovals): tells an approval missing from one given only by the author or without write access. */
  approvals?: readonly AuditApproval[];
  /**
   * The issues labelled change-control, when the door read them: an emergency's follow-up is
   * looked for there. Without them an emergency's review is not checked (`emergency` stays null).
   */
  followUps?: { issues: readonly IssueSummary[]; now: Date };
}

export interface GateVerdict {
  pass: boolean;
  level: LevelRef;
  /** Whether the change's level asks for a sign-off. */
  signoffRequired: boolean;
  signoff: { by: string; at: string; url: string | null; verified: boolean; record: ChangeRecord | null } | null;
  /** The emergency its change record declares, and whether its post-implementation review is on time. */
  emergency: EmergencyReview | null;
  findings: Finding[];
}

/** The teams whose membership of the status's creator decides whether they may sign off. */
export function signerTeams(policy: Policy): string[] {
  return (policy.signoff?.signers?.teams ?? []).map(principal);
}

export function verifyGate(input: GateInput): GateVerdict {
  const { policy, assessment: a, pullRequest: pr } = input;
  const findings: Finding[] = [];
  const add = (id: ExceptionId, message: string) => findings.push({ id, message });
  const signoffRequired = a.checklist.some((e) => e.kind === 'signoff' && e.required);
  const short = pr.headSha.slice(0, 7);

  let signoff: GateVerdict['signoff'] = null;
  const status = latestSignoffStatus(policy, input.statuses);
  if (signoffRequired) {
    if (!status || status.state !== 'success') {
      add('no-signoff', status ? `The latest "${status.context}" status on ${short} is ${status.state}, not success: sign off again (change-control signoff).` : `${a.level.title} changes need a sign-off, and ${short} has none: sign off the pull request's head (change-control signoff, or Change Control: Sign Off).`);
    } else {
      signoff = checkSignoff(input, status, add);
    }
  }

  // Approvals there were, none of which counts: the author's own, or from reviewers who cannot write.
  const given = input.approvals ?? [];
  const onlyUncounted = given.length > 0 && given.every((g) => g.byAuthor || g.canWrite === false);
  for (const entry of a.checklist) {
    if (!entry.required || entry.state === 'done' || entry.state === 'not-applicable') continue;
    if (entry.kind === 'approval') add(entry.stale ? 'stale-approval' : onlyUncounted ? 'self-approved-only' : 'no-owner-approval', `${entry.title}: ${entry.why}`);
    else if (entry.kind === 'review') add('self-approved-only', `${entry.title}: ${entry.why}`);
    else if (entry.kind === 'reviews-resolved') add('unresolved-threads', `${entry.title}: ${entry.why}`);
  }
  const record = signoff?.record;
  const emergency = record && input.followUps ? emergencyReview(record, input.followUps.issues, input.followUps.now) : null;
  if (emergency?.finding) findings.push(emergency.finding);
  return { pass: findings.length === 0, level: a.level, signoffRequired, signoff, emergency: emergency?.review ?? null, findings };
}

function checkSignoff(input: GateInput, status: CommitStatus, add: (id: ExceptionId, message: string) => void): NonNullable<GateVerdict['signoff']> {
  const { policy, assessment: a, pullRequest: pr } = input;
  const by = status.creator?.login ?? 'an unknown account';
  const result: NonNullable<GateVerdict['signoff']> = { by, at: status.createdAt, url: status.targetUrl, verified: false, record: null };
  const before = { count: 0 };
  const fail = (id: ExceptionId, message: string) => {
    before.count++;
    add(id, message);
  };

  // Who set it: a person the policy allows.
  if (!status.creator || status.creator.type !== 'User') {
    fail('signer-not-allowed', `The sign-off status was set by ${status.creator ? `@${by}, which is not a person (${status.creator.type})` : 'an account GitHub does not name'}: a person signs off, with their own GitHub sign-in.`);
  } else {
    const allowed = signerAllowed(policy, by, input.creator);
    if (allowed !== true) fail('signer-not-allowed', allowed);
  }

  // What it points at: the signer's change record on this pull request.
  const commentId = /#issuecomment-(\d+)$/.exec(status.targetUrl ?? '')?.[1];
  const ours = /· signed off by @[A-Za-z0-9-]+ · [0-9a-f]{8}$/.test(status.description ?? '');
  if (!commentId) {
    if (ours) fail('record-missing', `The sign-off status of @${by} points at no change record (${status.targetUrl ?? 'no link'}): sign off again with Change Control, which writes one.`);
    else fail('signoff-unverifiable', `The sign-off status of @${by} (“${status.description ?? ''}”) carries no change record (as gh-signoff or make signoff write them): sign off with Change Control so it can be verified.`);
    return result;
  }
  const comment = input.comments.find((c) => String(c.id) === commentId);
  if (!comment) {
    fail('record-missing', `The sign-off status points at comment ${commentId}, which is not on pull request #${pr.number}: sign off this pull request again.`);
    return result;
  }
  if (comment.author.toLowerCase() !== by.toLowerCase()) {
    fail('record-edited', `The change record was written by @${comment.author}, but the sign-off status by @${by}: a sign-off is one person's; sign off again.`);
  }
  const parsed = parseChangeRecord(comment.body);
  if (!parsed.ok) {
    fail('record-edited', `The change record cannot be read back: ${parsed.problem}. Sign off again to write it anew.`);
    return result;
  }
  const record = parsed.record;
  result.record = record;
  // Rendering is deterministic: any edit to the comment, to what people read or to the machine copy, shows.
  let rendered: string | undefined;
  try {
    rendered = renderChangeRecord(record);
  } catch {
    rendered = undefined;
  }
  if (rendered !== comment.body) fail('record-edited', `The change record (${comment.url}) was edited after it was written: sign off again to write it anew.`);
  if (record.head !== pr.headSha) fail('record-mismatch', `The change record signs off ${record.head.slice(0, 7)}, not the head ${pr.headSha.slice(0, 7)}: sign off the new head.`);
  if (record.pullRequest?.number !== pr.number) fail('record-mismatch', `The change record belongs to ${record.pullRequest ? `pull request #${record.pullRequest.number}` : 'no pull request'}, not #${pr.number}: sign off this pull request.`);
  const digest = /· ([0-9a-f]{8})$/.exec(status.description ?? '')?.[1];
  if (digest !== shortDigest(record)) fail('record-mismatch', `The sign-off status names the digest ${digest ?? 'none'}, but the change record's is ${shortDigest(record)}: sign off again.`);
  const recordLevel = a.levels.find((l) => l.id === record.level.id);
  if (!recordLevel || recordLevel.index < a.level.index) {
    fail('level-below-recomputed', `The change was signed off as ${record.level.title}, but it is ${a.level.title} now (its change or the base's policy grew since): sign off again.`);
  }
  result.verified = before.count === 0;
  return result;
}

/** True, or the sentence saying why this person may not sign off. */
function signerAllowed(policy: Policy, login: string, creator: CreatorFacts | undefined): true | string {
  const signers = policy.signoff?.signers;
  const users = (signers?.users ?? []).map(principal);
  const teams = signerTeams(policy);
  if (!users.length && !teams.length) {
    if (!creator) return `Cannot tell whether @${login} has write access to the repository: the gate's token cannot read it.`;
    return ['admin', 'maintain', 'write'].includes(creator.permission) ? true : `@${login} has no write access to the repository (${creator.permission}), so may not sign off.`;
  }
  if (users.includes(login.toLowerCase())) return true;
  const memberships = teams.map((t) => creator?.teams[t] ?? 'unknown');
  if (memberships.includes('member')) return true;
  if (memberships.includes('unknown')) {
    return `Cannot tell whether @${login} is in ${teams.map((t) => `@${t}`).join(' or ')}: the gate's token cannot see the team (Actions' GITHUB_TOKEN cannot read team membership; give the gate a token with read:org, or name signers by user). An unseen membership never counts.`;
  }
  return `@${login} may not sign off: the policy's signers are ${[...users.map((u) => `@${u}`), ...teams.map((t) => `@${t}`)].join(', ')}.`;
}
