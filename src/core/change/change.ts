// Owns what a change is: the repository's state, the base the change is measured from, and the
// files it touches (committed, staged, unstaged and untracked), all through the Git port.
import { ChangeControlError } from '../errors';
import { formatPolicyProblem } from '../policy/problems';
import type { Git, GitResult } from '../ports';
import { decodePath, type DecodedPath } from './pathBytes';

/** Git's well-known empty tree: the base of a repository that has no commits yet. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'typechange' | 'unmerged' | 'untracked';

export interface ChangedFile {
  /** Repo-relative path with forward slashes, exactly as git stores it (a name that is not UTF-8: see pathBytes). */
  path: string;
  /** The path's bytes when they are not UTF-8; `path` then writes each invalid byte as `\ooo` (see decodePath). */
  pathBytes?: Buffer;
  status: FileStatus;
  /** For renames and copies: the path before. Rules see both paths. */
  oldPath?: string;
  /** What git knows of the two sides (absent for untracked files). */
  blobs?: { oldOid: string; newOid: string; gitlink: boolean };
}

export interface RepositoryState {
  root: string;
  gitDir: string;
  commonDir: string;
  shallow: boolean;
  /** The current commit, or null in a repository with no commits. */
  headSha: string | null;
  /** The branch name, or null on a detached HEAD. */
  branch: string | null;
}

export interface ChangeBase {
  /** What the base was resolved from, e.g. `origin/main`, or the empty tree. */
  ref: string;
  /** The merge-base commit (or the empty tree). */
  sha: string;
  /**
   * Set when the change is not "this branch since it left the base branch": on the base branch
   * itself (what is not pushed yet) or when the base is this very commit. Says so in a sentence.
   */
  note?: string;
}

export interface Change {
  repository: RepositoryState;
  base: ChangeBase;
  /** The commit compared to the base, or null when the working tree is (uncommitted changes included). */
  head: string | null;
  files: ChangedFile[];
}

export interface ReadChangeOptions {
  /** A ref to measure from; its merge-base with HEAD is the base. Default: the base branch. */
  base?: string;
  /** Compare this commit instead of the working tree. */
  head?: string;
  /** The policy's base branch, tried before the remote's default branch; a full ref (`refs/…`) is taken as it is. */
  baseBranch?: string;
  /** Where `baseBranch` is written in the policy: a base branch that is nowhere is a problem there. */
  baseBranchAt?: { file: string; line: number; column: number };
  /**
   * The repository state and base from an earlier read, when the door knows HEAD and the refs have
   * not moved since (the editor learns that from git's change events): skips straight to the floor.
   */
  known?: { repository: RepositoryState; base: ChangeBase };
  /** The repository's state and refs, when the door has just read them (inspectRepositoryAndRefs): not read again. */
  inspection?: RepositoryInspection;
  /** The untracked listing (listUntracked), when the door started it even before the inspection. */
  untracked?: Promise<GitResult>;
  signal?: AbortSignal;
}

export interface RefInfo {
  symref: string;
  upstream: string;
  sha: string;
  isHead: boolean;
}

/** Branch and remote refs: what each points to, its upstream, and which one HEAD is on. */
async function readRefs(git: Git, signal?: AbortSignal): Promise<Map<string, RefInfo>> {
  const refs = await git.run(['for-each-ref', '--format=%(refname)%00%(symref)%00%(upstream)%00%(objectname)%00%(HEAD)', 'refs/heads/', 'refs/remotes/'], { signal });
  const all = new Map<string, RefInfo>();
  for (const line of refs.stdout.toString('utf8').split('\n')) {
    if (!line) continue;
    const [name, symref, upstream, sha, head] = line.split('\0');
    all.set(name, { symref, upstream, sha, isHead: head === '*' });
  }
  return all;
}

export interface RepositoryInspection {
  repository: RepositoryState;
  refs: ReadonlyMap<string, RefInfo>;
}

/** The repository's state and refs in one round of two git processes. */
export async function inspectRepositoryAndRefs(git: Git, signal?: AbortSignal): Promise<RepositoryInspection> {
  const [paths, refs] = await Promise.all([
    // Exits 128 after printing the paths when HEAD has no commit yet.
    git.run(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--is-shallow-repository', 'HEAD^{commit}'], { okExitCodes: [128], signal }),
    readRefs(git, signal).catch(() => new Map<string, RefInfo>()),
  ]);
  const lines = paths.stdout.toString('utf8').split('\n');
  if (paths.exitCode !== 0 && lines.length < 4) {
    // Not a repository, or git refused it: ask again without the revision, for git's own reason.
    await git.run(['rev-parse', '--show-toplevel'], { signal });
  }
  const [root, gitDir, commonDir, shallow, head] = lines;
  if (!root) {
    throw new ChangeControlError('NOT_A_REPOSITORY', 'This repository has no working tree (a bare repository): run Change Control in a checkout.');
  }
  const headSha = paths.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  if (headSha === null) await refuseUnreadableHead(git, signal);
  let branch: string | null = null;
  for (const [name, info] of refs) if (info.isHead && name.startsWith('refs/heads/')) branch = name.slice('refs/heads/'.length);
  if (headSha === null) {
    // A branch with no commit has no ref yet: only HEAD names it.
    const symbolic = await git.run(['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1], signal });
    const ref = symbolic.stdout.toString('utf8').trim();
    branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  }
  const repository = {
    root,
    gitDir,
    commonDir: commonDir.startsWith('/') || /^[A-Za-z]:/.test(commonDir) ? commonDir : `${root}/${commonDir}`,
    shallow: shallow === 'true',
    headSha,
    branch,
  };
  return { repository, refs };
}

/**
 * HEAD^{commit} fails both on a branch with no commit yet and when HEAD names a commit git cannot
 * read (a missing or corrupt object). Only the first is "no commits": the second must fail closed,
 * or the whole tree would count as added since the empty tree.
 */
async function refuseUnreadableHead(git: Git, signal?: AbortSignal): Promise<void> {
  const named = await git.run(['rev-parse', '-q', '--verify', 'HEAD'], { okExitCodes: [1, 128], signal });
  const sha = named.stdout.toString('utf8').trim();
  if (named.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) return; // unborn: no commit yet
  const read = await git.run(['cat-file', 'commit', sha], { okExitCodes: [128], signal });
  if (read.exitCode === 0) return;
  throw new ChangeControlError(
    'GIT_FAILED',
    `HEAD points to commit ${sha.slice(0, 12)}, which git cannot read (${gitReason(read.stderr)}): ${DAMAGED_REPOSITORY}`,
  );
}

/** What to do about an object git cannot read, the end of every such message. */
export const DAMAGED_REPOSITORY = 'the repository is damaged; run `git fsck` and restore the object (e.g. `git fetch` or a fresh clone), then try again.';

/** Git's own reason for a failure in one clause: its last `fatal:` line, else its first line. */
export function gitReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = [...lines].reverse().find((l) => l.startsWith('fatal:'));
  const line = (fatal ?? lines[0] ?? 'no reason given').replace(/^(fatal|error): /, '');
  return line.replace(/\.$/, '');
}

export async function inspectRepository(git: Git, signal?: AbortSignal): Promise<RepositoryState> {
  return (await inspectRepositoryAndRefs(git, signal)).repository;
}

/** Reads the change: repository state, base, and every changed path. */
export async function readChange(git: Git, options: ReadChangeOptions = {}): Promise<Change> {
  // The untracked listing needs no base: it starts at once and runs while the base is resolved.
  const untracked = options.head === undefined ? (options.untracked ?? listUntracked(git, options.signal)) : undefined;
  untracked?.catch(() => undefined); // a failure surfaces where it is awaited
  if (options.known && options.head === undefined && options.base === undefined) {
    const files = await changedFiles(git, options.known.base.sha, null, options.signal, untracked);
    return { repository: options.known.repository, base: options.known.base, head: null, files };
  }
  const { repository, refs } = options.inspection ?? (await inspectRepositoryAndRefs(git, options.signal));
  const headRef = options.head !== undefined ? await resolveCommit(git, options.head, '--head', options.signal) : null;
  const base = await resolveBase(git, repository, options, headRef, refs);
  const files = await changedFiles(git, base.sha, headRef, options.signal, untracked);
  return { repository, base, head: headRef, files };
}

async function resolveCommit(git: Git, ref: string, what: string, signal?: AbortSignal): Promise<string> {
  if (ref.startsWith('-')) throw new ChangeControlError('USAGE', `${what} ${ref}: a ref may not start with "-".`);
  const result = await git.run(['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`], { okExitCodes: [1, 128], signal });
  if (result.exitCode !== 0) {
    throw new ChangeControlError('REF_NOT_FOUND', `${what} ${ref} is not a commit in this repository: check the name, or \`git fetch\` it first.`);
  }
  return result.stdout.toString('utf8').trim();
}

async function resolveBase(git: Git, repo: RepositoryState, options: ReadChangeOptions, headSha: string | null, refs: ReadonlyMap<string, RefInfo>): Promise<ChangeBase> {
  const tip = headSha ?? repo.headSha;
  if (tip === null) return { ref: 'the empty tree (no commits yet)', sha: EMPTY_TREE };

  let baseRef: string;
  let baseSha: string | undefined;
  if (options.base !== undefined) {
    baseSha = await resolveCommit(git, options.base, '--base', options.signal);
    baseRef = options.base;
  } else {
    const full = defaultBaseRef(refs, repo, options.baseBranch, options.baseBranchAt);
    baseRef = full.replace(/^refs\/(remotes|heads)\//, '');
    baseSha = refs.get(full)?.sha;
    // On the base branch itself, the change is what has not been pushed yet.
    if (repo.branch !== null && headSha === null && sameBranch(baseRef, repo.branch)) {
      const upstream = refs.get(`refs/heads/${repo.branch}`)?.upstream ?? '';
      const known = upstream ? refs.get(upstream) : undefined;
      if (known) {
        const upstreamName = upstream.replace(/^refs\/(remotes|heads)\//, '');
        return withMergeBase(git, repo, tip, upstreamName, known.sha, options.signal, `On ${repo.branch}, the base branch itself: the change is what is not pushed to ${upstreamName} yet.`);
      }
      return { ref: 'HEAD', sha: tip, note: `On ${repo.branch}, the base branch itself, with no upstream: the change is the uncommitted work only.` };
    }
  }
  const note =
    baseSha === tip && options.base === undefined
      ? `${baseRef} is this commit itself, so nothing is committed on top of it${headSha !== null ? ': in CI on a push, pass `--base` the commit before the push (GitHub Actions: `github.event.before`)' : ''}.`
      : undefined;
  return withMergeBase(git, repo, tip, baseRef, baseSha, options.signal, note);
}

async function withMergeBase(git: Git, repo: RepositoryState, tip: string, baseRef: string, baseSha: string | undefined, signal: AbortSignal | undefined, note: string | undefined): Promise<ChangeBase> {
  const base = (sha: string): ChangeBase => (note ? { ref: baseRef, sha, note } : { ref: baseRef, sha });
  // A base at the tip is its own merge-base: no git needed.
  if (baseSha === tip) return base(tip);
  const mergeBase = await git.run(['merge-base', tip, '--end-of-options', baseSha ?? baseRef], { okExitCodes: [1], signal });
  if (mergeBase.exitCode !== 0) {
    if (repo.shallow) {
      throw new ChangeControlError(
        'SHALLOW_BASE_MISSING',
        `This clone is shallow and does not contain the commit where this branch left ${baseRef}: run \`git fetch --unshallow\` (in GitHub Actions: \`fetch-depth: 0\` on actions/checkout), then try again.`,
      );
    }
    throw new ChangeControlError('BASE_NOT_FOUND', `HEAD and ${baseRef} have no common history: pass the base to compare with, e.g. \`--base <ref>\`.`);
  }
  return base(mergeBase.stdout.toString('utf8').trim());
}

function sameBranch(baseRef: string, branch: string): boolean {
  return baseRef === branch || baseRef.replace(/^[^/]+\//, '') === branch;
}

/** The full name of the base: the policy's base branch, else the remote's default branch, else main or master (remote first). */
function defaultBaseRef(all: ReadonlyMap<string, RefInfo>, repo: RepositoryState, baseBranch: string | undefined, at?: ReadChangeOptions['baseBranchAt']): string {
  const candidates: string[] = [];
  if (baseBranch?.startsWith('refs/')) candidates.push(baseBranch);
  else if (baseBranch) candidates.push(`refs/remotes/origin/${baseBranch}`, `refs/heads/${baseBranch}`, `refs/remotes/${baseBranch}`);
  else {
    const originHead = all.get('refs/remotes/origin/HEAD')?.symref;
    if (originHead) candidates.push(originHead);
    for (const [name, info] of all) if (name.endsWith('/HEAD') && info.symref && name !== 'refs/remotes/origin/HEAD') candidates.push(info.symref);
    candidates.push('refs/remotes/origin/main', 'refs/remotes/origin/master', 'refs/heads/main', 'refs/heads/master');
  }
  const found = candidates.find((c) => all.has(c));
  if (found) return found;
  if (baseBranch) {
    const problem = baseBranch.startsWith('refs/')
      ? `the base branch "${baseBranch}" is not a ref of this repository: \`git fetch\` it, or fix \`base:\` in the policy`
      : `the base branch "${baseBranch}" exists neither locally nor on origin: \`git fetch origin ${baseBranch}\`, or fix \`base:\` in the policy`;
    if (!at) throw new ChangeControlError('BASE_NOT_FOUND', `${problem[0].toUpperCase()}${problem.slice(1)}.`);
    const where = { ...at, key: 'base', message: problem };
    throw new ChangeControlError('BASE_NOT_FOUND', formatPolicyProblem(where), [where]);
  }
  // A repository with one branch and no remote: that branch is the only thing it can merge into.
  const branches = [...all.keys()].filter((name) => name.startsWith('refs/heads/'));
  if (repo.branch !== null && branches.length === 1 && branches[0] === `refs/heads/${repo.branch}`) return branches[0];
  // Anything else would compare the branch with itself and pass everything: fail closed.
  throw new ChangeControlError(
    'BASE_NOT_FOUND',
    `No base branch to compare ${repo.branch !== null ? repo.branch : 'this detached HEAD'} with: looked for origin/HEAD, origin/main, origin/master, main and master. ` +
      'Name it with `base:` in the policy or `--base REF` (editor: the changeControl.baseBranch setting), or fetch it: `git fetch origin main` (GitHub Actions: `fetch-depth: 0` on actions/checkout).',
  );
}

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'typechange',
  U: 'unmerged',
  X: 'unmerged',
};

/** The all-zero object id git prints for "not in the object database" (a dirty working-tree file). */
export const ZERO_OID = '0000000000000000000000000000000000000000';

/**
 * Every path the change touches. The diff and the untracked listing are the floor any tool must
 * pay; `--raw` costs git the same walk as `--name-status` and also names the blobs, so the content
 * pass can read them without another pathspec-limited walk.
 */
export async function changedFiles(git: Git, baseSha: string, headSha: string | null, signal?: AbortSignal, untracked?: Promise<GitResult>): Promise<ChangedFile[]> {
  // Paths are always repository-relative, whatever folder git runs in.
  const diffArgs = ['diff', '--raw', '--no-abbrev', '-z', '-M', '--no-ext-diff', '--ignore-submodules=none', baseSha];
  if (headSha !== null) diffArgs.push(headSha);
  const [diff, others] = await Promise.all([
    git.run([...diffArgs, '--', ':(top)'], { signal }),
    headSha === null ? (untracked ?? listUntracked(git, signal)) : undefined,
  ]);
  const files = parseRawDiff(diff.stdout);
  if (others) {
    for (const name of splitNul(others.stdout)) files.push({ ...name, status: 'untracked' });
  }
  return files;
}

export function listUntracked(git: Git, signal?: AbortSignal): Promise<GitResult> {
  return git.run(['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':(top)'], { signal });
}

/** Parses `git diff --raw -z` output: `:<mode> <mode> <oid> <oid> <status>` then one or two paths. */
export function parseRawDiff(out: Buffer): ChangedFile[] {
  const parts = splitNul(out);
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; ) {
    const meta = parts[i++].path;
    if (!meta.startsWith(':')) continue;
    const [oldMode, newMode, oldOid, newOid, code] = meta.slice(1).split(' ');
    const status = STATUS[code[0]] ?? 'modified';
    const blobs = { oldOid, newOid, gitlink: oldMode === '160000' || newMode === '160000' };
    if (status === 'renamed' || status === 'copied') {
      const oldPath = parts[i++].path;
      files.push({ ...parts[i++], status, oldPath, blobs });
    } else {
      files.push({ ...parts[i++], status, blobs });
    }
  }
  return files;
}

/** NUL-terminated fields, each decoded as a path (decodePath), in one pass when all of them are UTF-8. */
function splitNul(out: Buffer): DecodedPath[] {
  const text = out.toString('utf8');
  if (!text) return [];
  if (!text.includes('\uFFFD')) {
    const parts = text.split('\0');
    if (parts[parts.length - 1] === '') parts.pop();
    return parts.map((path) => ({ path }));
  }
  const parts: DecodedPath[] = [];
  for (let start = 0; start < out.length; ) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    parts.push(decodePath(out.subarray(start, end)));
    start = end + 1;
  }
  return parts;
}

/** Whether the working tree has uncommitted work: staged, unstaged or untracked (not ignored) files. */
export async function isWorkingTreeDirty(git: Git, signal?: AbortSignal): Promise<boolean> {
  const out = await git.run(['status', '--porcelain', '-z', '--untracked-files=normal'], { signal });
  return out.stdout.length > 0;
}
