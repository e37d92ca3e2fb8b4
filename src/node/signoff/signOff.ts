// One sign-off, the same from the terminal and the editor: assess fresh at HEAD, read the pull
// request from GitHub, let the door run the open command items, plan with the engine, ask the
// person to confirm what they attest, record (comment first, status last) and keep the sign-off in
// the branch's evidence. A door supplies only its ports and how it talks to the person.
import { assess, type AssessInput } from '../../core/assess';
import type { Assessment } from '../../core/assessment';
import type { Evidence } from '../../core/checklist/evidence';
import { attest, declareEmergency } from '../../core/checklist/evidenceEdits';
import { ChangeControlError } from '../../core/errors';
import type { GitHubRepo, PullRequestSummary } from '../../core/github/facts';
import type { Git, GitHub } from '../../core/ports';
import { githubRepository, pullRequestFacts, pushState } from '../../core/signoff/gather';
import { FOLLOW_UP_LABEL } from '../../core/signoff/followUp';
import { planSignoff, signoffContext, type SignoffPlan } from '../../core/signoff/plan';
import { isWorkingTreeDirty, type RepositoryState } from '../../core/change/change';
import { updateEvidence } from '../evidenceStore';
import { recordSignoff, type Recorded } from './recorder';

export interface SignOffOptions {
  git: Git;
  repo: RepositoryState;
  /** Everything `assess` needs but the evidence and the pull request. */
  assessInput: Omit<AssessInput, 'evidence' | 'pullRequest'>;
  evidence: Evidence;
  /** Made once the repository is known, so the door can choose the API host (Enterprise). */
  github: (repository: { host: string; owner: string; name: string }) => Promise<GitHub>;
  /** `OWNER/NAME` when the person named it (`--repo`, a setting). */
  repoOverride?: string;
  /** Declare the emergency path with this reason first. */
  emergencyReason?: string;
  /** Runs the open command items and returns the evidence with their runs (or undefined: nothing ran). */
  runCommands: (assessment: Assessment) => Promise<{ evidence?: Evidence; cancelled: boolean }>;
  /** Shows what the person attests and returns whether they confirmed it. */
  confirm: (plan: SignoffPlan) => Promise<boolean>;
  progress: (message: string) => void;
  now?: () => Date;
  tool: { name: string; version: string };
}

export type SignOffOutcome =
  | { kind: 'signed'; plan: SignoffPlan; recorded: Recorded; repository: GitHubRepo; assessment: Assessment }
  | { kind: 'blocked'; plan: SignoffPlan; repository: GitHubRepo; assessment: Assessment }
  | { kind: 'cancelled'; why: string };

export async function signOff(o: SignOffOptions): Promise<SignOffOutcome> {
  const now = o.now ?? (() => new Date());
  const head = o.repo.headSha;
  if (!head) throw new ChangeControlError('SIGNOFF_BLOCKED', 'There is no commit to sign off: commit your change and push it.');
  const remote = await githubRepository(o.git, o.repoOverride);
  const repository = { owner: remote.owner, name: remote.name };
  o.progress(`GitHub repository ${remote.owner}/${remote.name} (from ${remote.from}).`);
  const github = await o.github(remote);
  const signer = await github.account();
  o.progress(`Signing off as @${signer.login}.`);

  let evidence = o.evidence;
  if (o.emergencyReason !== undefined) {
    const reason = o.emergencyReason;
    evidence = await updateEvidence(o.repo, (e) => declareEmergency(e, reason, { by: `@${signer.login}`, at: now() }));
    o.progress('Emergency path declared: its checklist applies.');
  }

  const pullRequests = o.repo.branch ? await github.openPullRequests(repository, o.repo.branch, remote.owner) : [];
  const pr: PullRequestSummary | null = pullRequests[0] ?? null;
  // A stacked branch is measured against the branch its pull request targets, not the default branch.
  const base = o.assessInput.base ?? (pr ? await stackBase(o.git, pr.baseRef) : undefined);
  const assessAt = async (ev: Evidence, facts?: Awaited<ReturnType<typeof pullRequestFacts>>) => assess({ ...o.assessInput, base, evidence: ev, pullRequest: facts });

  let assessment = await assessAt(evidence);
  const ran = await o.runCommands(assessment);
  if (ran.cancelled) return { kind: 'cancelled', why: 'A command was cancelled; nothing was recorded.' };
  if (ran.evidence) evidence = ran.evidence;

  const facts = pr ? await pullRequestFacts(github, repository, pr, assessment) : undefined;
  assessment = await assessAt(evidence, facts);

  const [dirty, pushed, commitOnGitHub, tree, comments, statuses, requiredChecks, checkRuns, issues] = await Promise.all([
    isWorkingTreeDirty(o.git),
    pushState(o.git, head),
    github.hasCommit(repository, head),
    o.git.run(['rev-parse', `${head}^{tree}`]).then((r) => r.stdout.toString('utf8').trim()),
    pr ? github.issueComments(repository, pr.number) : Promise.resolve([]),
    github.statuses(repository, head),
    github.requiredChecks(repository, pr?.baseRef ?? assessment.base.ref.replace(/^[^/]+\//, '')),
    github.checkRuns(repository, head, signoffContext(o.assessInput.policy.policy)),
    assessment.emergency ? github.issuesWithLabel(repository, FOLLOW_UP_LABEL) : Promise.resolve([]),
  ]);
  const plan = (confirmed: boolean, a: Assessment, ev: Evidence) =>
    planSignoff({ policy: o.assessInput.policy.policy, assessment: a, evidence: ev, repository, signer, dirty, pushed, commitOnGitHub, tree, pullRequest: pr, pullRequestFacts: facts, comments, statuses, requiredChecks, checkRuns, issues, confirmed, now: now(), tool: o.tool });

  let current = plan(false, assessment, evidence);
  if (current.blockers.length) return { kind: 'blocked', plan: current, repository, assessment };
  if (current.toConfirm.length) {
    if (!(await o.confirm(current))) return { kind: 'cancelled', why: 'You did not confirm the attestations; nothing was recorded.' };
    const by = `@${signer.login}`;
    const at = now();
    const ids = current.toConfirm.map((t) => t.id);
    const a = assessment;
    evidence = await updateEvidence(o.repo, (e) => ids.reduce((acc, id) => attest(acc, a, id, { by, at }), e));
    assessment = await assessAt(evidence, facts);
    current = plan(true, assessment, evidence);
    if (!current.ready) return { kind: 'blocked', plan: current, repository, assessment };
  }
  for (const w of current.warnings) o.progress(`Note: ${w}`);
  const recorded = await recordSignoff(github, repository, current);
  await updateEvidence(o.repo, (e) => ({ ...e, signoff: recorded.signoff }));
  return { kind: 'signed', plan: current, recorded, repository, assessment };
}


/** `origin/<branch>` when the remote has it, else the branch itself. */
async function stackBase(git: Git, baseRef: string): Promise<string> {
  const remote = `refs/remotes/origin/${baseRef}`;
  const out = await git.run(['rev-parse', '--verify', '--quiet', remote], { okExitCodes: [1] });
  return out.exitCode === 0 ? `origin/${baseRef}` : baseRef;
}
