// The CI gate, gathered: the pull request's head and base (from the event or GitHub), the policy as
// it is on the base, the change at the head, what GitHub holds about the pull request and the
// sign-off status's creator; then the engine's verdict. Nothing here decides; nothing here writes
// but the optional verdict status, which the recorder of the door sets.
import type { Assessment } from '../../core/assessment';
import { ChangeControlError } from '../../core/errors';
import type { GitHubRepo, PullRequestSummary } from '../../core/github/facts';
import { loadPolicyQuickly } from '../../core/policy/source';
import type { Git, GitHub } from '../../core/ports';
import { listApprovals } from '../../core/audit/audit';
import { FOLLOW_UP_LABEL } from '../../core/signoff/followUp';
import { verifyGate, type GateInput, type GateVerdict } from '../../core/signoff/verify';
import { commitTree } from '../commitTree';
import { readPullRequestEvidence } from './pullRequestEvidence';

export interface GateOptions {
  git: Git;
  github: GitHub;
  repository: GitHubRepo;
  pullRequest: number;
  /** The commit the run is for (`pull_request.head.sha`); default: the pull request's head now. */
  headSha?: string;
  /** The base commit the run is for (`pull_request.base.sha`); default: the pull request's base now. */
  baseSha?: string;
  /** A policy path relative to the root, read at the base. */
  policyPath?: string;
  progress?: (message: string) => void;
  now?: () => Date;
}

export interface GateOutcome {
  verdict: GateVerdict;
  assessment: Assessment;
  pullRequest: PullRequestSummary;
  headSha: string;
}

export async function runGate(o: GateOptions): Promise<GateOutcome> {
  const pr = await o.github.pullRequest(o.repository, o.pullRequest);
  const head = o.headSha ?? pr.headSha;
  const base = o.baseSha ?? pr.baseSha;
  await ensureCommit(o.git, head, `+refs/pull/${pr.number}/head:refs/change-control/pull/${pr.number}`, `the head of pull request #${pr.number}`);
  await ensureCommit(o.git, base, `+refs/heads/${pr.baseRef}:refs/change-control/base/${pr.baseRef}`, `its base (${pr.baseRef})`);
  // The base's policy: a pull request cannot loosen its own.
  const policy = await loadPolicyQuickly({ workTree: commitTree(o.git, base), policyPath: o.policyPath });
  o.progress?.(`Pull request #${pr.number} at ${head.slice(0, 7)} onto ${pr.baseRef} (${base.slice(0, 7)}); policy: ${policy.source.kind === 'file' ? `${policy.source.path} as on ${pr.baseRef}` : `preset ${policy.source.name}`}.`);
  const { assessment, reviews, facts, statuses, comments, creator } = await readPullRequestEvidence({ git: o.git, github: o.github, repository: o.repository, pullRequest: pr, head, base, policy, workTree: commitTree(o.git, head) });
  const input: GateInput = { policy: policy.policy, assessment, pullRequest: { number: pr.number, url: pr.url, headSha: head }, statuses, comments, creator, approvals: listApprovals(reviews, facts) };
  let verdict = verifyGate(input);
  // An emergency's follow-up must exist: it holds the review the policy asks for afterwards.
  if (verdict.signoff?.record?.emergency) verdict = verifyGate({ ...input, followUps: { issues: await o.github.issuesWithLabel(o.repository, FOLLOW_UP_LABEL), now: o.now?.() ?? new Date() } });
  return { verdict, assessment, pullRequest: pr, headSha: head };
}

/** The commit, fetched once from origin when the checkout lacks it (pull_request_target checks out the base). */
export async function ensureCommit(git: Git, sha: string, refspec: string, what: string): Promise<void> {
  const has = async () => (await git.run(['cat-file', '-e', `${sha}^{commit}`], { okExitCodes: [1, 128] })).exitCode === 0;
  if (await has()) return;
  await git.run(['fetch', '--quiet', '--no-tags', 'origin', refspec], { okExitCodes: [1, 128] });
  if (!(await has())) {
    throw new ChangeControlError('REF_NOT_FOUND', `The checkout lacks ${sha.slice(0, 7)}, ${what}, and fetching it from origin did not bring it: check out with fetch-depth: 0 (actions/checkout), or fetch it before the gate.`);
  }
}
