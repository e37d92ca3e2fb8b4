// Gathers what a sign-off decides on, through the ports: which GitHub repository the branch
// belongs to, whether HEAD is pushed (gh-signoff's rule), and what GitHub holds about the pull
// request. Every door signs off through these, so the terminal and the editor check the same.
import type { Assessment } from '../assessment';
import { approvalTeams } from '../checklist/approvals';
import { ChangeControlError } from '../errors';
import type { GitHubRepo, PullRequestSummary, ReviewRecord } from '../github/facts';
import { latestReviews, reviewerState, type PullRequestFacts, type ReviewerFact } from '../github/pullRequest';
import { parseGitHubRemote, parseRepoSlug } from '../github/remote';
import type { Git, GitHub } from '../ports';

/** Both doors name the repository; one sentence says how in each. */
const EDITOR_SETTING = ' (editor: the changeControl.github.repository setting)';

export interface FoundRepository extends GitHubRepo {
  /** The GitHub host of the remote; null when the repository was named and no remote is on GitHub. */
  host: string | null;
  /** Where it came from, for messages. */
  from: string;
}

/** The repository: `--repo`/the setting when given, else the `origin` remote (else the only remote). */
export async function githubRepository(git: Git, override?: { slug: string; from: string }, signal?: AbortSignal): Promise<FoundRepository> {
  if (override) {
    const repo = parseRepoSlug(override.slug);
    if (!repo) throw new ChangeControlError('USAGE', `"${override.slug}" (${override.from}) is not a GitHub repository: give it as OWNER/NAME, e.g. acme/shop.`);
    const origin = await git.run(['remote', 'get-url', 'origin'], { okExitCodes: [2, 128], signal });
    const host = origin.exitCode === 0 ? (parseGitHubRemote(origin.stdout.toString('utf8'))?.host ?? null) : null;
    return { ...repo, host, from: override.from };
  }
  const remotes = (await git.run(['remote'], { signal })).stdout.toString('utf8').split('\n').filter(Boolean);
  const name = remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
  if (!name) {
    throw new ChangeControlError(
      'GITHUB_REPO_UNKNOWN',
      remotes.length
        ? `This repository has several remotes and none is "origin" (${remotes.join(', ')}): name the GitHub repository with --repo OWNER/NAME${EDITOR_SETTING}.`
        : `This repository has no remote: push it to GitHub (git remote add origin …), or name the repository with --repo OWNER/NAME${EDITOR_SETTING}.`,
    );
  }
  const url = (await git.run(['remote', 'get-url', name], { signal })).stdout.toString('utf8').trim();
  const remote = parseGitHubRemote(url);
  if (!remote) throw new ChangeControlError('GITHUB_REPO_UNKNOWN', `The "${name}" remote (${redactUrl(url)}) is not a GitHub repository: name it with --repo OWNER/NAME${EDITOR_SETTING}.`);
  return { ...remote, from: `the ${name} remote` };
}

/**
 * Whether HEAD is in the branch it pushes to: `@{push}`, else `@{upstream}`, after one fetch of that
 * ref (the way gh-signoff decides), so a push made elsewhere counts and a stale ref does not.
 */
export async function pushState(git: Git, head: string, branch?: string, signal?: AbortSignal): Promise<{ ok: true; ref: string } | { ok: false; why: string }> {
  const resolve = async (spec: string) => {
    const out = await git.run(['rev-parse', '--abbrev-ref', '--symbolic-full-name', spec], { okExitCodes: [128], signal });
    return out.exitCode === 0 ? out.stdout.toString('utf8').trim() : undefined;
  };
  const of = branch ?? '';
  const ref = (await resolve(`${of}@{push}`)) ?? (await resolve(`${of}@{upstream}`));
  if (!ref) return { ok: false, why: 'The branch has no upstream on GitHub: push it (git push -u origin HEAD), then sign off again.' };
  const slash = ref.indexOf('/');
  if (slash > 0) {
    // A failed fetch (offline) leaves the last known ref: a push made since is then not seen, never the reverse.
    await git.run(['fetch', '--quiet', '--no-tags', ref.slice(0, slash), `+refs/heads/${ref.slice(slash + 1)}:refs/remotes/${ref}`], { okExitCodes: [1, 128], signal });
  }
  const contained = await git.run(['merge-base', '--is-ancestor', head, ref], { okExitCodes: [1, 128], signal });
  if (contained.exitCode === 0) return { ok: true, ref };
  return { ok: false, why: `HEAD (${head.slice(0, 7)}) is not pushed to ${ref}: run \`git push\`, then sign off again.` };
}

/** The pull request's facts: each reviewer's latest opinion, write access and the teams that matter, and the threads. */
export async function pullRequestFacts(github: GitHub, repo: GitHubRepo, pr: PullRequestSummary, assessment: Assessment, read?: { reviews: readonly ReviewRecord[] }): Promise<PullRequestFacts> {
  const teams = approvalTeams(assessment.checklist.flatMap((e) => e.approvals ?? []));
  const [reviews, threads] = await Promise.all([read?.reviews ?? github.reviews(repo, pr.number), github.reviewThreads(repo, pr.number)]);
  const reviewers: ReviewerFact[] = await Promise.all(
    latestReviews(reviews, pr.author).map(async (r) => {
      const [permission, memberships] = await Promise.all([
        github.permission(repo, r.reviewer),
        Promise.all(teams.map(async (t) => [t, await github.teamMembership(t.split('/')[0], t.split('/')[1], r.reviewer)] as const)),
      ]);
      return {
        login: r.reviewer,
        state: reviewerState(r.state),
        commit: r.commit,
        submittedAt: r.submittedAt,
        url: r.url,
        canWrite: permission === 'admin' || permission === 'maintain' || permission === 'write',
        teams: Object.fromEntries(memberships),
      };
    }),
  );
  return { number: pr.number, url: pr.url, author: pr.author, headSha: pr.headSha, headRef: pr.headRef, baseRef: pr.baseRef, reviewers, threads };
}

/** The branch changes merge into, for reading a period's history: origin's default branch, else main. */
export async function defaultBranch(git: Git, signal?: AbortSignal): Promise<string> {
  const out = await git.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { okExitCodes: [1, 128], signal });
  const ref = out.stdout.toString('utf8').trim();
  return out.exitCode === 0 && ref.startsWith('origin/') ? ref.slice('origin/'.length) : 'main';
}

/** A remote URL without the credentials it may carry. */
function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}
