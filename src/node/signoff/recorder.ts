// Applies a SignoffPlan to GitHub, and nothing else: the change-record comment first, the status
// last, so that a failure midway never leaves a `signoff` status that points at nothing. The only
// code that writes to GitHub for a sign-off; every decision was made by the engine's plan.
import type { SignoffRecord } from '../../core/checklist/evidence';
import { ChangeControlError, isChangeControlError } from '../../core/errors';
import type { GitHubRepo, NewIssue } from '../../core/github/facts';
import type { GitHub } from '../../core/ports';
import type { SignoffPlan } from '../../core/signoff/plan';

export interface Recorded {
  comment: { action: 'create' | 'update' | 'keep'; url: string } | null;
  status: 'create' | 'keep';
  followUp: { action: 'create' | 'keep'; url: string; unassigned?: string } | null;
  /** What the branch's evidence keeps. */
  signoff: SignoffRecord;
}

export async function recordSignoff(github: GitHub, repo: GitHubRepo, plan: SignoffPlan): Promise<Recorded> {
  if (!plan.ready || !plan.status || !plan.signoff) throw new Error('recordSignoff needs a ready plan');
  let comment: Recorded['comment'] = null;
  if (plan.comment && plan.signoff.pullRequest !== null) {
    const c = plan.comment;
    if (c.action === 'create') comment = { action: 'create', url: (await github.createIssueComment(repo, plan.signoff.pullRequest, c.body)).url };
    else if (c.action === 'update') comment = { action: 'update', url: (await github.updateIssueComment(repo, c.id!, c.body)).url };
    else comment = { action: 'keep', url: plan.signoff.url ?? '' };
  }
  const url = comment?.url || plan.signoff.url;
  if (plan.status.action === 'create') {
    try {
      await github.createStatus(repo, plan.status.sha, { ...plan.status.status, ...(url ? { targetUrl: url } : {}) });
    } catch (err) {
      if (!comment || comment.action === 'keep' || !isChangeControlError(err)) throw err;
      throw new ChangeControlError(
        'SIGNOFF_PARTIAL',
        `The change record was ${comment.action === 'create' ? 'written' : 'updated'} (${comment.url}) but the "${plan.status.status.context}" status was not: ${err.message} Nothing else was recorded; sign off again to finish.`,
      );
    }
  }
  // The sign-off stands once its status is set; the follow-up issue comes after and is retried by signing off again.
  let followUp: Recorded['followUp'] = null;
  if (plan.followUp) {
    try {
      followUp = plan.followUp.existing ? { action: 'keep', url: plan.followUp.existing.url } : await openFollowUp(github, repo, plan.followUp.issue);
    } catch (err) {
      if (!isChangeControlError(err)) throw err;
      throw new ChangeControlError(
        'SIGNOFF_PARTIAL',
        `Signed off (the change record and the status are recorded), but the post-implementation review issue was not opened: ${err.message} Sign off again to open it.`,
      );
    }
  }
  return { comment, status: plan.status.action, followUp, signoff: { ...plan.signoff, url: url ?? null, ...(followUp ? { followUp: followUp.url } : {}) } };
}

/** Opens the follow-up issue; when GitHub refuses the assignee (no access to the repository), opens it unassigned: it still mentions them. */
async function openFollowUp(github: GitHub, repo: GitHubRepo, issue: NewIssue): Promise<NonNullable<Recorded['followUp']>> {
  try {
    return { action: 'create', url: (await github.createIssue(repo, issue)).url };
  } catch (err) {
    if (!isChangeControlError(err) || err.code !== 'GITHUB_REFUSED' || !issue.assignees?.length) throw err;
    const created = await github.createIssue(repo, { ...issue, assignees: [] });
    return { action: 'create', url: created.url, unassigned: `GitHub would not assign it to @${issue.assignees.join(', @')} (${err.message}); the issue mentions them instead.` };
  }
}
