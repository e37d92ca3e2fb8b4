// Owns the audit's verdicts: for each pull request merged in a period, what an auditor of change
// management asks — who authorised it, who reviewed it (someone other than its author, before it
// shipped), what evidence exists, how an emergency was documented afterwards — and for each commit
// that reached the base without a pull request, that it did. The sign-off is verified exactly as
// the gate verifies it (verifyGate), so the audit and the gate cannot disagree about a change.
import type { Assessment } from '../assessment';
import type { BranchConfiguration, IssueSummary, ReviewRecord } from '../github/facts';
import type { PullRequestFacts } from '../github/pullRequest';
import type { Policy } from '../policy/schema';
import { verifyGate, type GateInput } from '../signoff/verify';
import type { EmergencyReview } from './emergencyReview';
import { EXCEPTION_IDS, type ExceptionId, type Finding } from './exceptions';

export const AUDIT_FORMAT = 'change-control/audit';
export const AUDIT_VERSION = 1;

/** How the pull request's commits reached the base, as git shows it. */
export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface AuditApproval {
  reviewer: string;
  at: string;
  /** The commit the approval was given on. */
  commit: string;
  onFinalHead: boolean;
  /** The pull request's author approving their own change: it never counts. */
  byAuthor: boolean;
  /** Whether the reviewer has write access (null for the author, whose access does not matter). */
  canWrite: boolean | null;
  url: string;
}

export type AuditVerdict = 'compliant' | 'signed-off-not-verifiable' | 'exceptions';

export interface AuditPullRequest {
  kind: 'pull-request';
  number: number;
  title: string;
  url: string;
  author: string;
  mergedAt: string;
  mergedBy: string | null;
  mergeMethod: MergeMethod;
  headSha: string;
  mergeCommitSha: string;
  /** The level recomputed from the merged change, with the policy as it was on the base when it merged. */
  level: { id: string; title: string; index: number };
  zones: string[];
  approvals: AuditApproval[];
  signoff: { by: string; at: string; commit: string | null; level: string | null; url: string | null; verified: boolean } | null;
  emergency: EmergencyReview | null;
  verdict: AuditVerdict;
  compliant: boolean;
  exceptions: ExceptionId[];
  findings: Finding[];
}

export interface AuditDirectPush {
  kind: 'direct-push';
  sha: string;
  subject: string;
  author: string;
  committer: string;
  committedAt: string;
  verdict: 'exceptions';
  compliant: false;
  exceptions: ['direct-push'];
  findings: Finding[];
}

export type AuditEntry = AuditPullRequest | AuditDirectPush;

export interface AuditPullRequestInput {
  policy: Policy;
  /** The merged change, assessed with the base's policy at merge time and the pull request's facts. */
  assessment: Assessment;
  pullRequest: { number: number; title: string; url: string; author: string; mergedAt: string; mergedBy: string | null; headSha: string; mergeCommitSha: string };
  mergeMethod: MergeMethod;
  /** Every submitted review, oldest first. */
  reviews: readonly ReviewRecord[];
  facts: PullRequestFacts;
  statuses: GateInput['statuses'];
  comments: GateInput['comments'];
  creator?: GateInput['creator'];
  /** The issues labelled change-control: emergencies' follow-ups. */
  followUps: readonly IssueSummary[];
  now: Date;
}

/** Every approval given, whether or not it counts: an auditor asks who approved, when and on what. */
export function listApprovals(reviews: readonly ReviewRecord[], facts: PullRequestFacts): AuditApproval[] {
  const author = facts.author.toLowerCase();
  return reviews
    .filter((r) => r.state === 'APPROVED')
    .map((r) => {
      const byAuthor = r.reviewer.toLowerCase() === author;
      const fact = facts.reviewers.find((f) => f.login.toLowerCase() === r.reviewer.toLowerCase());
      return { reviewer: r.reviewer, at: r.submittedAt, commit: r.commit, onFinalHead: r.commit === facts.headSha, byAuthor, canWrite: byAuthor ? null : (fact?.canWrite ?? null), url: r.url };
    });
}

export function auditPullRequest(input: AuditPullRequestInput): AuditPullRequest {
  const { assessment: a, pullRequest: pr } = input;
  const approvals = listApprovals(input.reviews, input.facts);
  const gate = verifyGate({
    policy: input.policy,
    assessment: a,
    pullRequest: { number: pr.number, url: pr.url, headSha: pr.headSha },
    statuses: input.statuses,
    comments: input.comments,
    creator: input.creator,
    approvals,
    followUps: { issues: input.followUps, now: input.now },
  });
  const findings = gate.findings;
  const record = gate.signoff?.record ?? null;
  const exceptions = orderedIds(findings);
  return {
    kind: 'pull-request',
    number: pr.number,
    title: pr.title,
    url: pr.url,
    author: pr.author,
    mergedAt: pr.mergedAt,
    mergedBy: pr.mergedBy,
    mergeMethod: input.mergeMethod,
    headSha: pr.headSha,
    mergeCommitSha: pr.mergeCommitSha,
    level: { id: a.level.id, title: a.level.title, index: a.level.index },
    zones: [...new Set(a.files.flatMap((f) => f.zones))].sort(),
    approvals,
    signoff: gate.signoff ? { by: gate.signoff.by, at: gate.signoff.at, commit: record?.head ?? null, level: record?.level.id ?? null, url: gate.signoff.url, verified: gate.signoff.verified } : null,
    emergency: gate.emergency,
    verdict: verdictOf(exceptions),
    compliant: exceptions.length === 0,
    exceptions,
    findings,
  };
}

export function auditDirectPush(commit: { sha: string; subject: string; author: string; committer: string; committedAt: string }, base: string): AuditDirectPush {
  return {
    kind: 'direct-push',
    ...commit,
    verdict: 'exceptions',
    compliant: false,
    exceptions: ['direct-push'],
    findings: [{ id: 'direct-push', message: `${commit.sha.slice(0, 7)} (“${commit.subject}”, committed by ${commit.committer}) reached ${base} without a pull request: review it after the fact and record why it bypassed the process.` }],
  };
}

/** A sign-off status that carries no record is its own verdict: adopted mid-period, not a breach by itself. */
function verdictOf(exceptions: readonly ExceptionId[]): AuditVerdict {
  if (exceptions.length === 0) return 'compliant';
  if (exceptions.every((e) => e === 'signoff-unverifiable')) return 'signed-off-not-verifiable';
  return 'exceptions';
}

/** Each id once, in the documented order. */
function orderedIds(findings: readonly Finding[]): ExceptionId[] {
  const found = new Set(findings.map((f) => f.id));
  return EXCEPTION_IDS.filter((id) => found.has(id));
}

// ---- the summary -------------------------------------------------------------------------------

export interface AuditSummary {
  pullRequests: number;
  directPushes: number;
  /** Per level, in the policy's order (highest index last). */
  byLevel: { id: string; title: string; count: number; withExceptions: number }[];
  byVerdict: Record<AuditVerdict, number>;
  byException: Record<ExceptionId, number>;
  /** Changes (pull requests and direct pushes) with at least one exception, of all changes. */
  exceptionRate: number;
  /** Monday-started UTC weeks of the period with changes, oldest first. */
  weeks: { week: string; byLevel: Record<string, number>; directPushes: number; withExceptions: number }[];
}

/** Adds entries one at a time, so a report's summary never needs the entries held together. */
export class AuditSummaryBuilder {
  private readonly levels = new Map<string, { id: string; title: string; index: number; count: number; withExceptions: number }>();
  private readonly byVerdict: Record<AuditVerdict, number> = { compliant: 0, 'signed-off-not-verifiable': 0, exceptions: 0 };
  private readonly byException = Object.fromEntries(EXCEPTION_IDS.map((id) => [id, 0])) as Record<ExceptionId, number>;
  private readonly weeks = new Map<string, { week: string; byLevel: Record<string, number>; directPushes: number; withExceptions: number }>();
  private pullRequests = 0;
  private directPushes = 0;

  add(entry: AuditEntry): void {
    this.byVerdict[entry.verdict]++;
    for (const id of entry.exceptions) this.byException[id]++;
    const at = entry.kind === 'pull-request' ? entry.mergedAt : entry.committedAt;
    const week = weekOf(at);
    const w = this.weeks.get(week) ?? { week, byLevel: {}, directPushes: 0, withExceptions: 0 };
    this.weeks.set(week, w);
    if (!entry.compliant) w.withExceptions++;
    if (entry.kind === 'direct-push') {
      this.directPushes++;
      w.directPushes++;
      return;
    }
    this.pullRequests++;
    const level = this.levels.get(entry.level.id) ?? { ...entry.level, count: 0, withExceptions: 0 };
    this.levels.set(entry.level.id, level);
    level.index = Math.max(level.index, entry.level.index);
    level.count++;
    if (!entry.compliant) level.withExceptions++;
    w.byLevel[entry.level.id] = (w.byLevel[entry.level.id] ?? 0) + 1;
  }

  value(): AuditSummary {
    const total = this.pullRequests + this.directPushes;
    const withExceptions = this.byVerdict.exceptions + this.byVerdict['signed-off-not-verifiable'];
    return {
      pullRequests: this.pullRequests,
      directPushes: this.directPushes,
      byLevel: [...this.levels.values()].sort((a, b) => a.index - b.index || a.id.localeCompare(b.id)).map(({ id, title, count, withExceptions: w }) => ({ id, title, count, withExceptions: w })),
      byVerdict: { ...this.byVerdict },
      byException: { ...this.byException },
      exceptionRate: total ? withExceptions / total : 0,
      weeks: [...this.weeks.values()].sort((a, b) => a.week.localeCompare(b.week)),
    };
  }
}

/** The Monday (UTC) that starts the week of an instant, as YYYY-MM-DD. */
export function weekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

/** The key an entry is sampled and ordered by: pull requests by number, then direct pushes by time. */
export function entryKey(entry: AuditEntry): string {
  return entry.kind === 'pull-request' ? `pr:${entry.number}` : `push:${entry.committedAt}:${entry.sha}`;
}

// ---- the report's header -------------------------------------------------------------------------

/** What a report says about itself: where its population came from, and the configuration as of the report. */
export interface AuditContext {
  baseSha: string;
  population: { pullRequests: string; directPushes: string; listed: number; outsidePeriod: number };
  configuration: {
    asOf: string;
    policy: { path: string; text: string } | { preset: string };
    codeOwners: { path: string; text: string } | null;
    branch: BranchConfiguration;
  };
}

export interface AuditHeader extends AuditContext {
  repository: string;
  base: string;
  period: { since: string; until: string };
  generatedAt: string;
  tool: { name: string; version: string };
  /** The sample drawn, when one was asked for. */
  sample: { size: number; of: number; seed: number; generator: string } | null;
}
