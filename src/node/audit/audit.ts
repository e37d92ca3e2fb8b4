// Gathers the audit of a period: every pull request merged into the base (streamed from GitHub a
// page at a time, never held together) and every commit that reached the base without one (from
// git's first-parent history of the base), each handed to the engine's verdict and passed on as
// soon as it is made. The policy of each change is the base's as it was when the change merged.
// Nothing here decides.
import { mergedWithin } from '../../core/audit/period';
import { auditDirectPush, auditPullRequest, type AuditContext, type AuditEntry, type MergeMethod } from '../../core/audit/audit';
import { inspectRepositoryAndRefs, type RepositoryInspection } from '../../core/change/change';
import { ChangeControlError } from '../../core/errors';
import { CODEOWNERS_FILES } from '../../core/github/codeOwners';
import type { GitHubRepo, IssueSummary, PullRequestSummary } from '../../core/github/facts';
import { POLICY_FILES, loadPolicy, readPolicyFile, type LoadedPolicy } from '../../core/policy/load';
import type { Git, GitHub } from '../../core/ports';
import { FOLLOW_UP_LABEL } from '../../core/signoff/followUp';
import type { CreatorFacts } from '../../core/signoff/verify';
import { CatFileBatch, commitFacts, type GitObject } from '../catFileBatch';
import { ensureCommit } from '../gate/gate';
import { readPullRequestEvidence } from '../gate/pullRequestEvidence';

export interface AuditOptions {
  /** The repository's root (objects are read through one `git cat-file --batch` there). */
  root: string;
  git: Git;
  github: GitHub;
  repository: GitHubRepo;
  base: string;
  since: Date;
  until: Date;
  /** A policy path relative to the root, read at each merge's base. */
  policyPath?: string;
  now: () => Date;
  progress?: (message: string) => void;
  /** Each entry as soon as it is made: pull requests newest change first, then direct pushes. */
  onEntry: (entry: AuditEntry) => void | Promise<void>;
}

/** Pull requests audited at once. */
const CONCURRENT_PULL_REQUESTS = 4;

export async function runAudit(options: AuditOptions): Promise<AuditContext> {
  // People recur across a period's pull requests: their access and teams are asked once.
  const o = { ...options, github: rememberingPeople(options.github) };
  const baseSha = await baseTip(o.git, o.base);
  const batch = new CatFileBatch(o.root);
  try {
    return await auditWith(o, batch, baseSha);
  } finally {
    batch.close();
  }
}

async function auditWith(o: AuditOptions, batch: CatFileBatch, baseSha: string): Promise<AuditContext> {
  const { git, github, repository: repo } = o;
  // Every change is read with explicit commits: the repository is inspected once for all of them.
  const inspection = await inspectRepositoryAndRefs(git);
  const direct = await firstParentCommits(git, baseSha, o.since, o.until);
  const followUps: IssueSummary[] = await github.issuesWithLabel(repo, FOLLOW_UP_LABEL);
  const policies = new Map<string, Promise<LoadedPolicy>>();
  const creators = new Map<string, Promise<CreatorFacts>>();
  let listed = 0;
  let outside = 0;
  let audited = 0;

  // A few pull requests at a time: each waits mostly on git and GitHub. Never more in flight, so
  // memory stays flat however long the period; the report's order comes from the spool, not here.
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const listedPr of github.mergedPullRequests(repo, o.base, o.since)) {
    if (failure) break;
    listed++;
    if (!mergedWithin(listedPr, o.since, o.until)) {
      outside++;
      if (listedPr.mergeCommitSha) direct.delete(listedPr.mergeCommitSha);
      continue;
    }
    const task = (async () => {
      const pr = await github.pullRequest(repo, listedPr.number);
      const entry = await auditOne(o, pr, { policies, creators, followUps, direct, batch, inspection });
      await o.onEntry(entry);
      if (++audited % 25 === 0) o.progress?.(`${audited} merged pull requests audited (#${pr.number}, merged ${pr.mergedAt?.slice(0, 10)})…`);
    })().catch((error: unknown) => {
      failure ??= { error };
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (inFlight.size >= CONCURRENT_PULL_REQUESTS) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  for (const commit of [...direct.values()].sort((a, b) => a.committedAt.localeCompare(b.committedAt))) await o.onEntry(auditDirectPush(commit, o.base));

  const tip = batch.tree(baseSha);
  const policyFile = await readPolicyFile(tip, o.policyPath);
  let codeOwners: AuditContext['configuration']['codeOwners'] = null;
  for (const path of CODEOWNERS_FILES) {
    const bytes = await tip.readFile(path);
    if (bytes) {
      codeOwners = { path, text: bytes.toString('utf8') };
      break;
    }
  }
  const period = `merged into ${o.base} from ${o.since.toISOString()} to ${o.until.toISOString()}`;
  return {
    baseSha,
    population: {
      pullRequests: `Every pull request ${period}: GitHub's list of closed pull requests into ${o.base}, newest update first, read until the first one last updated before the period (merging updates a pull request, so none merged in the period is left out); ${listed} listed, ${outside} merged outside the period left out.`,
      directPushes: `Every commit on the first-parent history of ${o.base} at ${baseSha.slice(0, 12)} committed in the period that no listed pull request merged: each is an exception.`,
      listed,
      outsidePeriod: outside,
    },
    configuration: {
      asOf: o.now().toISOString(),
      policy: policyFile ? { path: policyFile.file, text: policyFile.text } : { preset: presetName((await loadPolicy({ workTree: tip })).source) },
      codeOwners,
      branch: await github.branchConfiguration(repo, o.base),
    },
  };
}

interface Shared {
  batch: CatFileBatch;
  inspection: RepositoryInspection;
  policies: Map<string, Promise<LoadedPolicy>>;
  creators: Map<string, Promise<CreatorFacts>>;
  followUps: readonly IssueSummary[];
  direct: Map<string, DirectCommit>;
}

async function auditOne(o: AuditOptions, pr: PullRequestSummary, shared: Shared): Promise<AuditEntry> {
  const { git, github, repository: repo } = o;
  const merge = pr.mergeCommitSha;
  if (!merge) throw new ChangeControlError('GITHUB_REFUSED', `GitHub names no merge commit for pull request #${pr.number}, merged at ${pr.mergedAt}: the audit cannot tell what reached ${o.base}.`);
  const { batch } = shared;
  const headCommit = await commitObject(batch, git, pr.headSha, `+refs/pull/${pr.number}/head:refs/change-control/pull/${pr.number}`, `the head of pull request #${pr.number}`);
  const mergeCommit = await commitObject(batch, git, merge, `+refs/heads/${o.base}:refs/change-control/audit/${o.base}`, `the commit that merged pull request #${pr.number}`);
  const { method, base, commits } = await mergeShape(git, { sha: pr.headSha, ...commitFacts(headCommit) }, { sha: merge, ...commitFacts(mergeCommit) });
  for (const sha of commits) shared.direct.delete(sha);

  const policy = await policyAt(batch, base, o.policyPath, shared.policies);
  // The change as it was when it merged: the final head against the base it merged into, with the
  // clock at the merge (a freeze window is judged as it was then).
  const clock = { now: () => new Date(pr.mergedAt!) };
  const { assessment, reviews, facts, statuses, comments, creator } = await readPullRequestEvidence({
    git,
    github,
    repository: repo,
    pullRequest: pr,
    head: pr.headSha,
    base,
    policy,
    workTree: batch.tree(pr.headSha),
    inspection: shared.inspection,
    clock,
    creators: shared.creators,
  });
  return auditPullRequest({
    policy: policy.policy,
    assessment,
    pullRequest: { number: pr.number, title: pr.title, url: pr.url, author: pr.author, mergedAt: pr.mergedAt!, mergedBy: pr.mergedBy, headSha: pr.headSha, mergeCommitSha: merge },
    mergeMethod: method,
    reviews,
    facts,
    statuses,
    comments,
    creator,
    followUps: shared.followUps,
    now: o.now(),
  });
}

/**
 * How the pull request reached the base, from its commits: a merge commit has the head as a
 * parent; a rebase re-creates each commit with its author and date; a squash makes one new commit.
 * Returns the base it merged into and the base's commits the merge made.
 */
async function mergeShape(git: Git, head: CommitFacts, merge: CommitFacts): Promise<{ method: MergeMethod; base: string; commits: string[] }> {
  if (merge.parents.length >= 2) return { method: 'merge', base: merge.parents[0], commits: [merge.sha] };
  if (merge.sha !== head.sha && merge.author !== head.author) return { method: 'squash', base: merge.parents[0] ?? merge.sha, commits: [merge.sha] };
  // Rebased: as many commits as the pull request had since it forked.
  const line = async (args: string[]) => (await git.run(args)).stdout.toString('utf8').trim();
  const fork = await line(['merge-base', head.sha, merge.sha]);
  const count = Math.max(1, Number(await line(['rev-list', '--count', fork === head.sha ? `${merge.sha}^..${head.sha}` : `${fork}..${head.sha}`])) || 1);
  const commits = (await line(['rev-list', '--first-parent', '-n', String(count), merge.sha])).split('\n').filter(Boolean);
  const base = await line(['rev-parse', `${commits[commits.length - 1]}^`]);
  return { method: 'rebase', base, commits };
}

interface CommitFacts {
  sha: string;
  parents: string[];
  author: string;
}

/** The commit object, fetched once from origin when the checkout lacks it; fails closed when even then it is missing. */
async function commitObject(batch: CatFileBatch, git: Git, sha: string, refspec: string, what: string): Promise<GitObject> {
  const found = await batch.read(sha);
  if (found?.type === 'commit') return found;
  await ensureCommit(git, sha, refspec, what);
  const fetched = await batch.read(sha);
  if (fetched?.type !== 'commit') throw new ChangeControlError('REF_NOT_FOUND', `The checkout lacks ${sha.slice(0, 7)}, ${what}: fetch it (git fetch origin ${refspec}), then run the audit again.`);
  return fetched;
}

/** The policy as it was at a commit, loaded once per distinct policy file. */
async function policyAt(batch: CatFileBatch, commit: string, policyPath: string | undefined, cache: Map<string, Promise<LoadedPolicy>>): Promise<LoadedPolicy> {
  // The same policy files (by blob) are the same policy: loaded once.
  const blobs = await Promise.all((policyPath ? [policyPath] : POLICY_FILES).map(async (file) => (await batch.read(`${commit}:${file}`))?.oid ?? '-'));
  const key = blobs.join(' ');
  let policy = cache.get(key);
  if (!policy) {
    policy = loadPolicy({ workTree: batch.tree(commit), policyPath });
    cache.set(key, policy);
  }
  return policy;
}

interface DirectCommit {
  sha: string;
  subject: string;
  author: string;
  committer: string;
  committedAt: string;
}

/** The commits that reached the base in the period, by the base's first-parent history. */
async function firstParentCommits(git: Git, tip: string, since: Date, until: Date): Promise<Map<string, DirectCommit>> {
  const out = await git.run(['log', '--first-parent', '-z', '--format=%H%x1f%an%x1f%cn%x1f%cI%x1f%s', `--since=${since.toISOString()}`, `--until=${until.toISOString()}`, tip]);
  const commits = new Map<string, DirectCommit>();
  for (const record of out.stdout.toString('utf8').split('\0')) {
    const [sha, author, committer, committedAt, subject] = record.replace(/^\n/, '').split('\x1f');
    if (!sha || !committedAt) continue;
    const at = Date.parse(committedAt);
    if (at < since.getTime() || at > until.getTime()) continue;
    commits.set(sha, { sha, author, committer, committedAt: new Date(at).toISOString(), subject: subject ?? '' });
  }
  return commits;
}

/** The base branch's tip as origin has it now (fetched), else as this checkout has it; fails closed on a shallow clone. */
async function baseTip(git: Git, base: string): Promise<string> {
  const shallow = (await git.run(['rev-parse', '--is-shallow-repository'])).stdout.toString('utf8').trim();
  if (shallow === 'true') {
    throw new ChangeControlError('REF_NOT_FOUND', 'This is a shallow clone: the audit needs the base branch\'s whole history to find every change of the period. Fetch it (git fetch --unshallow, or fetch-depth: 0 in actions/checkout), then run the audit again.');
  }
  await git.run(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${base}:refs/change-control/audit/${base}`], { okExitCodes: [1, 128] });
  for (const ref of [`refs/change-control/audit/${base}`, `refs/remotes/origin/${base}`, `refs/heads/${base}`]) {
    const out = await git.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { okExitCodes: [1, 128] });
    if (out.exitCode === 0) return out.stdout.toString('utf8').trim();
  }
  throw new ChangeControlError('REF_NOT_FOUND', `The base branch ${base} is neither on origin nor in this checkout: name the branch changes merge into with --base.`);
}

function presetName(source: LoadedPolicy['source']): string {
  return source.kind === 'preset' ? source.name : source.path;
}

/** The port, with each person's repository access and team memberships asked of GitHub once. */
function rememberingPeople(github: GitHub): GitHub {
  const permissions = new Map<string, ReturnType<GitHub['permission']>>();
  const memberships = new Map<string, ReturnType<GitHub['teamMembership']>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> => {
    let answer = cache.get(key);
    if (!answer) {
      answer = ask();
      cache.set(key, answer);
      answer.catch(() => cache.delete(key));
    }
    return answer;
  };
  const remembered: Partial<GitHub> = {
    permission: (repo, user) => once(permissions, `${repo.owner}/${repo.name}\0${user}`.toLowerCase(), () => github.permission(repo, user)),
    teamMembership: (org, slug, user) => once(memberships, `${org}/${slug}\0${user}`.toLowerCase(), () => github.teamMembership(org, slug, user)),
  };
  return new Proxy(github, {
    get: (target, key: keyof GitHub) => remembered[key] ?? (target[key] as (...args: unknown[]) => unknown).bind(target),
  });
}
