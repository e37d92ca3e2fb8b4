// Owns the decision to sign off: from the Assessment (evaluated fresh at HEAD, with the pull
// request's reviews) and the facts a door gathered (who the token is, whether the tree is clean and
// HEAD pushed, what GitHub already holds), the plan says what blocks the sign-off, each with how to
// fix it; what the person attests in the final step; and exactly what to write: the change record
// comment, then the `signoff` status. A recorder applies it; nothing here writes.
import { own } from '../own';
import type { Assessment, ChecklistEntry } from '../assessment';
import type { Evidence, SignoffRecord } from '../checklist/evidence';
import type { CheckRunSummary, CommitStatus, GitHubAccount, GitHubRepo, IssueComment, IssueSummary, NewCommitStatus, PullRequestSummary, RequiredCheck } from '../github/facts';
import type { Policy } from '../policy/schema';
import { planFollowUp, type FollowUpPlan } from './followUp';
import type { PullRequestFacts } from '../github/pullRequest';
import { repoSlug } from '../github/remote';
import { CHANGE_RECORD_MARKER, CHANGE_RECORD_VERSION, parseChangeRecord, renderChangeRecord, sameRecord, shortDigest, type ChangeRecord } from './changeRecord';

/** The status context by default: the one gh-signoff and Sequin's `make signoff` already require. */
export const DEFAULT_SIGNOFF_CONTEXT = 'signoff';
/** GitHub refuses a longer status description. */
export const STATUS_DESCRIPTION_LIMIT = 140;

export interface SignoffFacts {
  policy: Policy;
  assessment: Assessment;
  evidence: Evidence;
  repository: GitHubRepo;
  signer: GitHubAccount;
  /** Staged, unstaged or untracked files. */
  dirty: boolean;
  /** Whether HEAD is in the branch it pushes to (after one fetch), and which ref that is. */
  pushed: { ok: true; ref: string } | { ok: false; why: string };
  commitOnGitHub: boolean;
  /** The tree of HEAD. */
  tree: string;
  /** The open pull request of the branch, if any. */
  pullRequest: PullRequestSummary | null;
  pullRequestFacts?: PullRequestFacts;
  /** Comments of that pull request (to find the signer's record again). */
  comments: readonly IssueComment[];
  /** HEAD's statuses, newest first. */
  statuses: readonly CommitStatus[];
  requiredChecks: readonly RequiredCheck[];
  /** Check runs on HEAD named like the status context (a CI job called `signoff`). */
  checkRuns: readonly CheckRunSummary[];
  /** Issues with the follow-up label (to find an emergency's review issue again). */
  issues: readonly IssueSummary[];
  /** Whether the person confirmed the attestations listed in `toConfirm`. */
  confirmed: boolean;
  now: Date;
  tool: { name: string; version: string };
}

export interface Blocker {
  /** The checklist item, or what about the repository: `dirty`, `not-pushed`, `signer`, … */
  id: string;
  message: string;
}

export interface Attesting {
  id: string;
  title: string;
  /** Already confirmed by someone (the signer re-attests it now) or new. */
  confirmedBefore: string | null;
}

export interface SignoffPlan {
  ready: boolean;
  blockers: Blocker[];
  /** What the person attests in the final step (every attestation item of the checklist). */
  toConfirm: Attesting[];
  /** Said before recording: a required check the status cannot satisfy, no pull request yet. */
  warnings: string[];
  /** Items that come after deploying (post-implementation review, announcements): they never block. */
  later: ChecklistEntry[];
  record: ChangeRecord | null;
  /** The change-record comment: created, updated in place, or already there as it should be. */
  comment: { action: 'create' | 'update' | 'keep'; id: number | null; body: string } | null;
  status: { action: 'create' | 'keep'; sha: string; status: NewCommitStatus } | null;
  /** On the emergency path: the issue that holds the post-implementation review, opened after the status. */
  followUp: FollowUpPlan | null;
  /** What the branch's evidence keeps once recorded (the recorder fills `url`). */
  signoff: SignoffRecord | null;
}

/** Kinds that happen after the change ships; and the sign-off item, which is this very act. */
const NEVER_BLOCKS = new Set(['post-review', 'notification', 'signoff']);

export function planSignoff(f: SignoffFacts): SignoffPlan {
  const a = f.assessment;
  // The commit assessed: HEAD, or the branch of a stack being signed off.
  const head = a.head ?? a.repository.headSha;
  const blockers: Blocker[] = [];
  const warnings: string[] = [];
  const context = signoffContext(f.policy);

  if (f.signer.type !== 'User') {
    blockers.push({ id: 'signer', message: `The token belongs to ${f.signer.type === 'Bot' ? 'an app or a CI job' : `an ${f.signer.type}`} (@${f.signer.login}), not a person: a sign-off is made by a person, with their own GitHub sign-in.` });
  }
  if (head === null) blockers.push({ id: 'no-commit', message: 'There is no commit to sign off: commit your change and push it.' });
  if (a.files.length === 0) blockers.push({ id: 'no-change', message: `Nothing changed compared with ${a.base.ref}: there is no change to sign off.` });
  if (f.dirty) blockers.push({ id: 'dirty', message: 'The working tree has uncommitted or untracked files: a sign-off is about exactly one commit. Commit or stash them (git stash -u), then sign off again.' });
  if (!f.pushed.ok) blockers.push({ id: 'not-pushed', message: f.pushed.why });
  else if (!f.commitOnGitHub) blockers.push({ id: 'not-pushed', message: `GitHub does not know ${head?.slice(0, 7)} in ${repoSlug(f.repository)} yet: push it (git push), then sign off again.` });
  if (f.pullRequest && head && f.pullRequest.headSha !== head) {
    blockers.push({ id: 'pull-request-head', message: `Pull request #${f.pullRequest.number} is at ${f.pullRequest.headSha.slice(0, 7)}, not at HEAD (${head.slice(0, 7)}): push HEAD to the pull request's branch, or check out ${f.pullRequest.headRef}.` });
  }

  const later: ChecklistEntry[] = [];
  const attestations: ChecklistEntry[] = [];
  for (const entry of a.checklist) {
    if (NEVER_BLOCKS.has(entry.kind)) {
      if (entry.kind !== 'signoff') later.push(entry);
      continue;
    }
    if (entry.kind === 'attestation') {
      if (entry.required || entry.state === 'done') attestations.push(entry);
      continue;
    }
    if (!entry.required || entry.state === 'done' || entry.state === 'not-applicable') continue;
    // Reviews live on a pull request: without one there is nothing to read them from.
    const why = !f.pullRequest && entry.confirmedBy === 'github' ? 'there is no pull request to read it from yet: open one (gh pr create, or on GitHub), then sign off again.' : entry.why;
    blockers.push({ id: entry.id, message: `${entry.title}: ${why}` });
  }
  if (!f.pullRequest) {
    warnings.push(`No open pull request for ${a.repository.branch ?? 'this commit'} yet: the status alone is written. Open one (gh pr create, or on GitHub), then sign off again to add the change record to it.`);
  }
  for (const check of f.requiredChecks) {
    if (check.context.toLowerCase() === context.toLowerCase() && check.integrationId !== null) {
      warnings.push(`The rules of ${f.pullRequest?.baseRef ?? 'the base branch'} require a "${check.context}" check from app ${check.integrationId}: a status set with your token will not satisfy it. Ask an admin to unpin it or to require "change-control" from the gate instead.`);
    }
  }
  if (f.checkRuns.some((r) => r.name.toLowerCase() === context.toLowerCase())) {
    warnings.push(`A CI job named "${context}" also reports on this commit: GitHub then requires both it and this status to pass.`);
  }

  const toConfirm = attestations.map((e) => ({ id: e.id, title: e.title, confirmedBefore: e.state === 'done' ? (own(f.evidence.attestations, e.id)?.by ?? null) : null }));
  const empty = { later, record: null, comment: null, status: null, followUp: null, signoff: null };
  if (blockers.length) return { ready: false, blockers, toConfirm, warnings, ...empty };
  if (!f.confirmed && toConfirm.length) return { ready: false, blockers: [], toConfirm, warnings, ...empty };

  let record = buildRecord(f, head!);
  // Find the signer's record again; the same record of the same commit writes nothing new.
  const mine = f.comments.filter((c) => c.author.toLowerCase() === f.signer.login.toLowerCase() && c.body.includes(CHANGE_RECORD_MARKER));
  const existing = mine.at(-1);
  const previous = existing ? parseChangeRecord(existing.body) : undefined;
  if (previous?.ok && sameRecord(previous.record, record)) record = previous.record;
  let body: string;
  try {
    body = renderChangeRecord(record);
  } catch (err) {
    return { ready: false, blockers: [{ id: 'record-too-long', message: (err as Error).message }], toConfirm, warnings, ...empty };
  }
  const digest = shortDigest(record);
  const comment = f.pullRequest ? { action: !existing ? ('create' as const) : existing.body === body ? ('keep' as const) : ('update' as const), id: existing?.id ?? null, body } : null;
  const status: NewCommitStatus = { context, state: 'success', description: statusDescription(a.level.title, f.signer.login, digest, a.emergency !== null), ...(existing && comment?.action !== 'create' ? { targetUrl: existing.url } : {}) };
  const latest = f.statuses.find((s) => s.context.toLowerCase() === context.toLowerCase());
  const same =
    latest !== undefined &&
    latest.state === 'success' &&
    latest.description === status.description &&
    latest.creator?.login.toLowerCase() === f.signer.login.toLowerCase() &&
    (comment?.action === 'keep' || !comment) &&
    (latest.targetUrl ?? undefined) === status.targetUrl;
  return {
    ready: true,
    blockers: [],
    toConfirm,
    warnings,
    later,
    record,
    comment,
    status: { action: same ? 'keep' : 'create', sha: head!, status },
    followUp: planFollowUp(f.policy, a, record, f.issues),
    signoff: {
      by: f.signer.login,
      at: record.signedAt,
      commit: head!,
      level: a.level.id,
      levelTitle: a.level.title,
      emergency: a.emergency !== null,
      digest,
      repository: repoSlug(f.repository),
      pullRequest: f.pullRequest?.number ?? null,
      url: existing?.url ?? null,
      context,
    },
  };
}

/** The status context a sign-off sets (and the gate reads). */
export function signoffContext(policy: Policy): string {
  return policy.signoff?.context ?? DEFAULT_SIGNOFF_CONTEXT;
}

/** `Significant · signed off by @login · 3f2a9c1d`, within GitHub's 140 characters. */
export function statusDescription(levelTitle: string, login: string, digest: string, emergency: boolean): string {
  const tail = ` · signed off by @${login} · ${digest}`;
  const lead = emergency ? 'EMERGENCY · ' : '';
  const room = STATUS_DESCRIPTION_LIMIT - tail.length - lead.length;
  const title = levelTitle.length > room ? `${levelTitle.slice(0, Math.max(1, room - 1))}…` : levelTitle;
  return `${lead}${title}${tail}`.slice(0, STATUS_DESCRIPTION_LIMIT);
}

function buildRecord(f: SignoffFacts, head: string): ChangeRecord {
  const a = f.assessment;
  const reviewers = new Map((f.pullRequestFacts?.reviewers ?? []).map((r) => [`@${r.login}`.toLowerCase(), r]));
  return {
    format: 'change-control/change-record',
    version: CHANGE_RECORD_VERSION,
    repository: repoSlug(f.repository),
    pullRequest: f.pullRequest ? { number: f.pullRequest.number, url: f.pullRequest.url } : null,
    head,
    tree: f.tree,
    base: { ref: a.base.ref, sha: a.base.sha },
    level: { id: a.level.id, title: a.level.title },
    emergency: a.emergency ? { reason: a.emergency.reason, declaredAt: a.emergency.declaredAt, declaredBy: a.emergency.by, reviewDue: a.emergency.reviewDue } : null,
    reasons: a.reasons.map((r) => ({ rule: r.rule, label: r.label, path: r.path, line: r.line, message: r.message })),
    reasonsOmitted: 0,
    checklist: a.checklist.map((e) => {
      const item = { id: e.id, title: e.title, kind: e.kind, required: e.required, state: e.state, why: e.why };
      // The sign-off item is this very record: done by it, whatever the branch held before.
      if (e.kind === 'signoff') return { ...item, state: 'done', why: 'Signed off by this record.' };
      const run = own(f.evidence.commands, e.id);
      if (e.kind === 'command' && run) return { ...item, evidence: { command: run.command, exitCode: run.exitCode, ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}), commit: run.commit, at: run.at } };
      const att = own(f.evidence.attestations, e.id);
      if (e.kind === 'attestation' && att) return { ...item, state: 'done', why: `Confirmed by ${att.by}.`, evidence: { by: att.by, at: att.at, commit: att.commit } };
      if (e.kind === 'approval' && e.approvals) {
        const approvals = [...new Set(e.approvals.flatMap((r) => r.approvedBy))].flatMap((login) => {
          const r = reviewers.get(login.toLowerCase());
          return r ? [{ reviewer: r.login, commit: r.commit, at: r.submittedAt, url: r.url }] : [];
        });
        return { ...item, evidence: { approvals } };
      }
      if (e.kind === 'reviews-resolved' && f.pullRequestFacts) return { ...item, evidence: { threads: { total: f.pullRequestFacts.threads.length, open: f.pullRequestFacts.threads.filter((t) => !t.resolved).length } } };
      return item;
    }),
    changeRequest: a.changeRecord.map((c) => ({ id: c.id, title: c.title, value: c.value })),
    signer: f.signer.login,
    signedAt: f.now.toISOString(),
    policy: { source: a.policy.source.kind === 'file' ? a.policy.source.path : `preset ${a.policy.source.name}`, name: a.policy.name },
    tool: f.tool,
  };
}
