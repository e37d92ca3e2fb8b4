// The interfaces the engine needs from the outside world. The engine never spawns a process,
// reads a file or looks at the clock by itself; a door hands it these.

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

/** Reads files of the working tree, relative to the repository root. */
export interface WorkTree {
  /** The file's bytes, or undefined when it does not exist or is not a regular file. */
  readFile(relativePath: string): Promise<Buffer | undefined>;
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
