// The interfaces the engine needs from the outside world. The engine never spawns a process,
// reads a file or looks at the clock by itself; a door hands it these.
import type {
  BranchConfiguration,
  CheckRunSummary,
  CommitStatus,
  GitHubAccount,
  GitHubRepo,
  IssueComment,
  IssueSummary,
  NewCommitStatus,
  NewIssue,
  PullRequestSummary,
  RepositoryPermission,
  RequiredCheck,
  ReviewRecord,
  ReviewThreadRecord,
  TeamMembership,
} from './github/facts';
import type { MigrationFramework, MigrationOperation } from './migrations/types';

export interface GitResult {
  /** Raw stdout: git output may hold any byte (paths are not UTF-8 by law). */
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

export interface GitRunOptions {
  /** Write this to git's stdin. */
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
  signal?: AbortSignal;
}

/** Runs git in one repository (the working directory the adapter was made for). */
export interface Git {
  /** Resolves with the result when git exits with 0 or an allowed code; rejects otherwise. */
  run(args: readonly string[], options?: GitRunOptions): Promise<GitResult>;
}

/** An object of the repository: its id, type (`blob`, `tree`, `commit`) and size in bytes. */
export interface GitObjectInfo {
  oid: string;
  type: string;
  size: number;
}

export interface GitObject extends GitObjectInfo {
  content: Buffer;
}

/**
 * Reads objects by name (`<oid>`, `<commit>:<path>`) through a git that stays running: a pipe round
 * trip instead of a process each (the editor keeps one per repository, so a save need not spawn
 * git). Optional: without it the engine asks `git cat-file` through the Git port. A name that
 * resolves to nothing reads as undefined; a git that stopped rejects.
 */
export interface ObjectReader {
  info(name: string): Promise<GitObjectInfo | undefined>;
  contents(name: string): Promise<GitObject | undefined>;
}

/**
 * Parses a migration file into operations. The parsers are WebAssembly, and while V8 optimises them
 * a process grows by tens of MB: the engine parses in its own process unless a door hands it this
 * (the editor does, with a child process, so that the extension host it shares does not carry them).
 * Rejects when it could not parse at all; the rule then counts the migration as beyond (fail closed).
 */
export interface MigrationParser {
  analyseSource(path: string, framework: MigrationFramework, content: string): Promise<{ framework: MigrationFramework; operations: MigrationOperation[] }>;
}

/** Reads files of the working tree, relative to the repository root. */
export interface WorkTree {
  /**
   * The file's bytes, or undefined when it does not exist or is not a regular file. With
   * `maxBytes`, at most its first `maxBytes + 1` bytes: a caller learns that a file is over its
   * limit without reading it whole (a work tree may hold gigabytes). With `pathBytes` (a name that
   * is not UTF-8, see ChangedFile), the file is found by those bytes; `relativePath` names it in messages.
   */
  readFile(relativePath: string, options?: { maxBytes?: number; pathBytes?: Buffer }): Promise<Buffer | undefined>;
}

export interface Clock {
  now(): Date;
}

export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunResult {
  /** False when the shell itself could not be started (the command's own failures are exit codes). */
  started: boolean;
  /** The exit code; null when it ended by a signal (e.g. cancelled). */
  exitCode: number | null;
  /** The last part of its output (stdout and stderr interleaved), for messages. */
  output: string;
  cancelled: boolean;
  durationMs: number;
  /** Why it could not start, when `started` is false. */
  error?: string;
}

export interface RunOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Output as it arrives, one line at a time. */
  onLine?: (line: string) => void;
}

/** Runs a policy command (a test suite) in a shell. Doors decide whether a command may run at all. */
export interface Runner {
  run(command: string, options: RunOptions): Promise<RunResult>;
}

export const systemClock: Clock = { now: () => new Date() };

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * GitHub (or GitHub Enterprise Server), as the engine needs it: facts to decide on, and the few
 * writes a recorder makes. One adapter in `src/node` implements it; every method either answers or
 * throws a ChangeControlError with a GITHUB_* code whose message says what to do.
 */
export interface GitHub {
  /** The account the token belongs to (`GET /user`). */
  account(): Promise<GitHubAccount>;
  /** Whether GitHub knows this commit (false when it answers 404 or 422: not pushed). */
  hasCommit(repo: GitHubRepo, sha: string): Promise<boolean>;
  /** Open pull requests whose head is this branch of this owner's repository. */
  openPullRequests(repo: GitHubRepo, branch: string, headOwner?: string): Promise<PullRequestSummary[]>;
  pullRequest(repo: GitHubRepo, number: number): Promise<PullRequestSummary>;
  /**
   * Pull requests merged into `base` since `since`, newest change first, one page at a time (a
   * period with thousands is never held in memory). Listed by GitHub's `updated` order, which a
   * merge never precedes, so the listing stops at the first one last changed before `since`.
   */
  mergedPullRequests(repo: GitHubRepo, base: string, since: Date): AsyncIterable<PullRequestSummary>;
  /** Every submitted review, oldest first (all pages). */
  reviews(repo: GitHubRepo, number: number): Promise<ReviewRecord[]>;
  /** Every review thread (GraphQL; all pages). */
  reviewThreads(repo: GitHubRepo, number: number): Promise<ReviewThreadRecord[]>;
  permission(repo: GitHubRepo, user: string): Promise<RepositoryPermission>;
  /** `org/slug`: a member, not a member, or cannot tell (the token cannot see the team). */
  teamMembership(org: string, slug: string, user: string): Promise<TeamMembership>;
  /** Every comment of the pull request or issue, oldest first (all pages). */
  issueComments(repo: GitHubRepo, number: number): Promise<IssueComment[]>;
  createIssueComment(repo: GitHubRepo, number: number, body: string): Promise<IssueComment>;
  updateIssueComment(repo: GitHubRepo, commentId: number, body: string): Promise<IssueComment>;
  /** The commit's statuses, newest first, each with its creator (all pages). */
  statuses(repo: GitHubRepo, sha: string): Promise<CommitStatus[]>;
  createStatus(repo: GitHubRepo, sha: string, status: NewCommitStatus): Promise<CommitStatus>;
  /** Required status checks of the rules in force on the branch ([] when none). */
  requiredChecks(repo: GitHubRepo, branch: string): Promise<RequiredCheck[]>;
  /** The branch's rules and classic protection, for the audit's configuration snapshot; never throws for a lack of access. */
  branchConfiguration(repo: GitHubRepo, branch: string): Promise<BranchConfiguration>;
  /** Check runs on the commit with this name. */
  checkRuns(repo: GitHubRepo, sha: string, name: string): Promise<CheckRunSummary[]>;
  /** Issues (not pull requests) of the repository with this label, open and closed. */
  issuesWithLabel(repo: GitHubRepo, label: string): Promise<IssueSummary[]>;
  createIssue(repo: GitHubRepo, issue: NewIssue): Promise<IssueSummary>;
}
