// What the gate and the audit both read about one pull request before the engine verifies it: its
// change assessed with the base's policy (read once, its rules run again with what GitHub says of
// the reviews), every review, the head's statuses, the comments (the change records), and who set
// the sign-off status. One reading, so that the gate and the audit cannot see different things.
import { assessChange } from '../../core/assess';
import type { Assessment } from '../../core/assessment';
import { readChange, type RepositoryInspection } from '../../core/change/change';
import { isChangeControlError } from '../../core/errors';
import type { CommitStatus, GitHubRepo, IssueComment, PullRequestSummary, RepositoryPermission, ReviewRecord } from '../../core/github/facts';
import type { PullRequestFacts } from '../../core/github/pullRequest';
import type { LoadedPolicy } from '../../core/policy/source';
import type { Clock, Git, GitHub, WorkTree } from '../../core/ports';
import { compilePolicy } from '../../core/rules/compiledPolicy';
import { pullRequestFacts } from '../../core/signoff/gather';
import { latestSignoffStatus, signerTeams, type CreatorFacts } from '../../core/signoff/verify';

export interface PullRequestEvidence {
  assessment: Assessment;
  reviews: ReviewRecord[];
  facts: PullRequestFacts;
  statuses: CommitStatus[];
  comments: IssueComment[];
  creator?: CreatorFacts;
}

export interface ReadPullRequestOptions {
  git: Git;
  github: GitHub;
  repository: GitHubRepo;
  pullRequest: PullRequestSummary;
  head: string;
  base: string;
  /** The policy as it is (or was) on the base. */
  policy: LoadedPolicy;
  /** The files at the head. */
  workTree: WorkTree;
  inspection?: RepositoryInspection;
  clock?: Clock;
  /** Creators already looked up, by login (an audit meets the same signers again and again). */
  creators?: Map<string, Promise<CreatorFacts>>;
}

export async function readPullRequestEvidence(o: ReadPullRequestOptions): Promise<PullRequestEvidence> {
  const { git, github, repository: repo, head, base, policy } = o;
  const pr = { ...o.pullRequest, headSha: head };
  const change = await readChange(git, { base, head, inspection: o.inspection });
  const compiled = compilePolicy(policy.policy);
  const assessWith = (facts?: PullRequestFacts) => assessChange(change, compiled, { git, workTree: o.workTree, policy, base, head, pullRequest: facts, clock: o.clock });
  // The first run names the teams whose membership the approvals need; the second has the facts.
  const first = await assessWith();
  const reviews = await github.reviews(repo, pr.number);
  const facts = await pullRequestFacts(github, repo, pr, first, { reviews });
  const [assessment, statuses, comments] = await Promise.all([assessWith(facts), github.statuses(repo, head), github.issueComments(repo, pr.number)]);
  const status = latestSignoffStatus(policy.policy, statuses);
  let creator: CreatorFacts | undefined;
  if (status?.creator) {
    const login = status.creator.login.toLowerCase();
    let known = o.creators?.get(login);
    if (!known) {
      known = creatorFacts(github, repo, status.creator.login, signerTeams(policy.policy));
      o.creators?.set(login, known);
    }
    creator = await known;
  }
  return { assessment, reviews, facts, statuses, comments, creator };
}

/** The status's creator's access and signer-team memberships (404 for the access: none). */
async function creatorFacts(github: GitHub, repo: GitHubRepo, login: string, teams: readonly string[]): Promise<CreatorFacts> {
  let permission: RepositoryPermission = 'none';
  try {
    permission = await github.permission(repo, login);
  } catch (err) {
    if (!isChangeControlError(err) || err.code !== 'GITHUB_NOT_FOUND') throw err;
  }
  const memberships = await Promise.all(teams.map(async (t) => [t, await github.teamMembership(t.split('/')[0], t.split('/')[1], login)] as const));
  return { permission, teams: Object.fromEntries(memberships) };
}
