// One sign-off, the same from the terminal and the editor: assess fresh at HEAD, read the pull
// request from GitHub, let the door run the open command items, plan with the engine, ask the
// person to confirm what they attest, record (comment first, status last) and keep the sign-off in
// the branch's evidence. A door supplies only its ports and how it talks to the person.
import { assess, type AssessInput } from '../../core/assess';
import type { Assessment } from '../../core/assessment';
import type { Evidence } from '../../core/checklist/evidence';
import { attest, declareEmergency, recordDeliveries, type Delivered } from '../../core/checklist/evidenceEdits';
import { repoSlug } from '../../core/github/remote';
import { eventFromAssessment } from '../../core/notify/message';
import { notifyTargets, type NotifyResult, type Secrets } from '../notifyTargets';
import { ChangeControlError } from '../../core/errors';
import type { GitHubRepo, PullRequestSummary } from '../../core/github/facts';
import type { Git, GitHub } from '../../core/ports';
import { githubRepository, pullRequestFacts, pushState, type FoundRepository } from '../../core/signoff/gather';
import { FOLLOW_UP_LABEL } from '../../core/signoff/followUp';
import { planSignoff, signoffContext, type SignoffPlan } from '../../core/signoff/plan';
import { isWorkingTreeDirty, type RepositoryState } from '../../core/change/change';
import { readEvidence, updateEvidence } from '../evidenceStore';
import { recordSignoff, type Recorded } from './recorder';

export interface SignOffOptions {
  git: Git;
  repo: RepositoryState;
  /** Everything `assess` needs but the evidence and the pull request. */
  assessInput: Omit<AssessInput, 'evidence' | 'pullRequest'>;
  evidence: Evidence;
  /** Made once the repository is known, so the door can choose the API host (Enterprise). */
  github: (repository: FoundRepository) => Promise<GitHub>;
  /** `OWNER/NAME` when the person named it (`--repo`, a setting), and where. */
  repoOverride?: { slug: string; from: string };
  /** Sign off this branch of a stack instead of the checked-out one: its commit is assessed as committed, and its commands are not run. */
  branch?: string;
  /** Declare the emergency path with this reason first. */
  emergencyReason?: string;
  /** Runs the open command items and returns the evidence with their runs (or undefined: nothing ran). */
  runCommands: (assessment: Assessment) => Promise<{ evidence?: Evidence; cancelled: boolean }>;
  /** Shows what the person attests and returns whether they confirmed it. */
  confirm: (plan: SignoffPlan) => Promise<boolean>;
  progress: (message: string) => void;
  /** Where the notify targets' webhook URLs are: the environment (CLI), the editor's secret storage. */
  secrets: Secrets;
  now?: () => Date;
  tool: { name: string; version: string };
}

export type SignOffOutcome =
  | { kind: 'signed'; plan: SignoffPlan; recorded: Recorded; repository: GitHubRepo; assessment: Assessment; notified: NotifyResult[] }
  | { kind: 'blocked'; plan: SignoffPlan; repository: GitHubRepo; assessment: Assessment }
  | { kind: 'cancelled'; why: string };

export async function signOff(o: SignOffOptions): Promise<SignOffOutcome> {
  const now = o.now ?? (() => new Date());
  const other = o.branch !== undefined && o.branch !== o.repo.branch;
  const repo: RepositoryState = other ? { ...o.repo, branch: o.branch!, headSha: await branchSha(o.git, o.branch!) } : o.repo;
  const head = repo.headSha;
  if (!head) throw new ChangeControlError('SIGNOFF_BLOCKED', 'There is no commit to sign off: commit your change and push it.');
  const remote = await githubRepository(o.git, o.repoOverride);
  const repository = { owner: remote.owner, name: remote.name };
  o.progress(`GitHub repository ${remote.owner}/${remote.name} (from ${remote.from}).`);
  const github = await o.github(remote);
  const signer = await github.account();
  o.progress(`Signing off as @${signer.login}.`);

  let evidence = other ? (await readEvidence(repo)).evidence : o.evidence;
  if (o.emergencyReason !== undefined) {
    const reason = o.emergencyReason;
    evidence = await updateEvidence(repo, (e) => declareEmergency(e, reason, { by: `@${signer.login}`, at: now() }));
    o.progress('Emergency path declared: its checklist applies.');
  }

  const pullRequests = repo.branch ? await github.openPullRequests(repository, repo.branch, remote.owner) : [];
  const pr: PullRequestSummary | null = pullRequests[0] ?? null;
  // A stacked branch is measured against the branch its pull request targets, not the default branch.
  const base = o.assessInput.base ?? (pr ? await stackBase(o.git, pr.baseRef) : undefined);
  // A sign-off verifies from scratch: an earlier sign-off of this commit vouches for nothing here.
  const assessAt = async (ev: Evidence, facts?: Awaited<ReturnType<typeof pullRequestFacts>>) =>
    assess({ ...o.assessInput, base, evidence: { ...ev, signoff: undefined }, pullRequest: facts, ...(other ? { head } : {}) });

  let assessment = await assessAt(evidence);
  // Commands run in the working tree: only for the branch that is checked out.
  if (!other) {
    const ran = await o.runCommands(assessment);
    if (ran.cancelled) return { kind: 'cancelled', why: 'A command was cancelled; nothing was recorded.' };
    if (ran.evidence) evidence = ran.evidence;
  }

  const facts = pr ? await pullRequestFacts(github, repository, pr, assessment) : undefined;
  assessment = await assessAt(evidence, facts);

  const [dirty, pushed, commitOnGitHub, tree, comments, requiredChecks, issues] = await Promise.all([
    other ? Promise.resolve(false) : isWorkingTreeDirty(o.git),
    pushState(o.git, head, repo.branch ?? undefined),
    github.hasCommit(repository, head),
    o.git.run(['rev-parse', `${head}^{tree}`]).then((r) => r.stdout.toString('utf8').trim()),
    pr ? github.issueComments(repository, pr.number) : Promise.resolve([]),
    github.requiredChecks(repository, pr?.baseRef ?? assessment.base.ref.replace(/^[^/]+\//, '')),
    assessment.emergency ? github.issuesWithLabel(repository, FOLLOW_UP_LABEL) : Promise.resolve([]),
  ]);
  // A commit GitHub does not know has no statuses or check runs to read (GitHub answers 422): the plan says to push.
  const [statuses, checkRuns] = commitOnGitHub
    ? await Promise.all([github.statuses(repository, head), github.checkRuns(repository, head, signoffContext(o.assessInput.policy.policy))])
    : [[], []];
  const plan = (confirmed: boolean, a: Assessment, ev: Evidence) =>
    planSignoff({ policy: o.assessInput.policy.policy, assessment: a, evidence: ev, repository, signer, dirty, pushed, commitOnGitHub, tree, pullRequest: pr, pullRequestFacts: facts, comments, statuses, requiredChecks, checkRuns, issues, confirmed, now: now(), tool: o.tool });

  let current = plan(false, assessment, evidence);
  if (current.blockers.length) return { kind: 'blocked', plan: current, repository, assessment };
  if (current.toConfirm.length) {
    if (!(await o.confirm(current))) return { kind: 'cancelled', why: 'You did not confirm the attestations; nothing was recorded.' };
    const by = `@${signer.login}`;
    const at = now();
    // What was confirmed before keeps its record (who, when): a second sign-off of the same state is the same record.
    const ids = current.toConfirm.filter((t) => t.confirmedBefore === null).map((t) => t.id);
    const a = assessment;
    evidence = await updateEvidence(repo, (e) => ids.reduce((acc, id) => attest(acc, a, id, { by, at }), e));
    assessment = await assessAt(evidence, facts);
    current = plan(true, assessment, evidence);
    if (!current.ready) return { kind: 'blocked', plan: current, repository, assessment };
  }
  for (const w of current.warnings) o.progress(`Note: ${w}`);
  const recorded = await recordSignoff(github, repository, current);
  await updateEvidence(repo, (e) => ({ ...e, signoff: recorded.signoff }));
  // Announced once recorded; a notification that fails is reported and never undoes the sign-off.
  const policy = o.assessInput.policy.policy;
  const notified: NotifyResult[] = [];
  const delivered: Delivered[] = [];
  // Only a sign-off that wrote something is news: signing off the same record again tells no one twice.
  const wrote = current.status?.action === 'create' || (current.comment !== null && current.comment.action !== 'keep');
  if (wrote) {
    for (const event of [...(assessment.emergency ? (['emergency'] as const) : []), 'signoff' as const]) {
      const message = eventFromAssessment(assessment, { event, at: now(), repository: repoSlug(repository), signer: signer.login, pullRequestUrl: pr?.url ?? null, recordUrl: recorded.signoff.url });
      for (const r of await notifyTargets(policy, message, o.secrets)) {
        notified.push(r);
        if (r.outcome === 'delivered') delivered.push({ target: r.id, event });
      }
    }
    const a = assessment;
    if (delivered.length) await updateEvidence(repo, (e) => recordDeliveries(e, policy, a, delivered, { by: `@${signer.login}`, at: now() }));
  }
  return { kind: 'signed', plan: current, recorded, repository, assessment, notified };
}


/** `origin/<branch>` when the remote has it, else the branch itself. */
async function stackBase(git: Git, baseRef: string): Promise<string> {
  const remote = `refs/remotes/origin/${baseRef}`;
  const out = await git.run(['rev-parse', '--verify', '--quiet', remote], { okExitCodes: [1] });
  return out.exitCode === 0 ? `origin/${baseRef}` : baseRef;
}

async function branchSha(git: Git, branch: string): Promise<string> {
  const out = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { okExitCodes: [1] });
  if (out.exitCode !== 0) throw new ChangeControlError('REF_NOT_FOUND', `There is no local branch "${branch}": fetch and check it out once (git switch ${branch}), then sign off the stack again.`);
  return out.stdout.toString('utf8').trim();
}

/**
 * The stack below and including `branch`, bottom first: each branch's open pull request targets the
 * branch below it, down to one that targets a branch with no open pull request (the default branch).
 */
export async function pullRequestStack(github: GitHub, repository: GitHubRepo, branch: string, owner: string): Promise<PullRequestSummary[]> {
  const stack: PullRequestSummary[] = [];
  const seen = new Set<string>();
  let current: string | undefined = branch;
  while (current && !seen.has(current) && stack.length < 50) {
    seen.add(current);
    const [pr] = await github.openPullRequests(repository, current, owner);
    if (!pr) break;
    stack.unshift(pr);
    current = pr.baseRef;
  }
  return stack;
}

export interface StackOutcome {
  /** Bottom first; stops at the first branch that could not be signed off (the last step then is not `signed`). */
  steps: { branch: string; pullRequest: number; outcome: SignOffOutcome }[];
  /** Branches above the one that stopped the stack, left alone. */
  skipped: string[];
}

/** Signs off every pull request of the checked-out branch's stack from the bottom up, stopping at the first that cannot be. */
export async function signOffStack(o: SignOffOptions, onStep?: (step: StackOutcome['steps'][number]) => void): Promise<StackOutcome> {
  if (!o.repo.branch) throw new ChangeControlError('USAGE', 'A stack is a chain of branches: check out the top branch of the stack (HEAD is detached), then sign off the stack.');
  const remote = await githubRepository(o.git, o.repoOverride);
  const repository = { owner: remote.owner, name: remote.name };
  const github = await o.github(remote);
  const stack = await pullRequestStack(github, repository, o.repo.branch, remote.owner);
  if (stack.length === 0) throw new ChangeControlError('SIGNOFF_BLOCKED', `${o.repo.branch} has no open pull request, so there is no stack: open one, or sign off without --stack.`);
  const result: StackOutcome = { steps: [], skipped: [] };
  for (let i = 0; i < stack.length; i++) {
    const pr = stack[i];
    o.progress(`— ${pr.headRef} (#${pr.number}, onto ${pr.baseRef})`);
    const outcome = await signOff({ ...o, branch: pr.headRef });
    const step = { branch: pr.headRef, pullRequest: pr.number, outcome };
    result.steps.push(step);
    onStep?.(step);
    if (outcome.kind !== 'signed') {
      result.skipped = stack.slice(i + 1).map((p) => p.headRef);
      break;
    }
  }
  return result;
}
