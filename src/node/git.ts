// Git for the engine: spawns the git binary directly. Raw buffers keep every path byte intact,
// and a plain spawn costs less than any wrapper on the path the editor runs at every save.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { gitReason } from '../core/change/change';
import { ChangeControlError } from '../core/errors';
import type { Git, GitResult, GitRunOptions } from '../core/ports';

export function createGit(cwd: string, gitBinary = 'git'): Git {
  return {
    run(args, options) {
      return runGit(gitBinary, cwd, args, options);
    },
  };
}

function runGit(binary: string, cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-c', 'core.quotePath=false', '-c', 'color.ui=false', ...args], {
      cwd,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.name === 'AbortError') reject(e);
      else if (e.code === 'ENOENT') {
        // Node says "spawn git ENOENT" both for a missing git and for a missing working folder.
        reject(
          isDirectory(cwd)
            ? new ChangeControlError('GIT_NOT_FOUND', 'git is not installed or not on PATH: install git, then try again.')
            : new ChangeControlError('NOT_A_REPOSITORY', `The folder ${cwd} does not exist: check the path (-C DIR).`),
        );
      } else reject(new ChangeControlError('GIT_FAILED', `Could not run git: ${e.message}`));
    });
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      const exitCode = code ?? -1;
      if (exitCode === 0 || options.okExitCodes?.includes(exitCode)) resolve({ stdout, stderr, exitCode });
      else reject(gitError(args, exitCode, stderr, cwd));
    });
    child.stdin.on('error', () => {
      /* git may exit before reading its input; the exit code tells what happened */
    });
    child.stdin.end(options.input ?? '');
  });
}

function gitError(args: readonly string[], exitCode: number, stderr: string, cwd: string): ChangeControlError {
  if (/not a git repository/i.test(stderr)) {
    return new ChangeControlError('NOT_A_REPOSITORY', `${cwd} is not inside a git repository: run this from a git checkout, or \`git init\` one.`);
  }
  if (/dubious ownership/i.test(stderr)) {
    return new ChangeControlError('GIT_FAILED', `git refuses this repository because it belongs to another user: run \`git config --global --add safe.directory ${cwd}\` if you trust it.`);
  }
  return new ChangeControlError('GIT_FAILED', `\`git ${args.join(' ')}\` failed (exit ${exitCode}): ${gitReason(stderr)}.`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
