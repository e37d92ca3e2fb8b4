// Runs a policy command in a shell from the repository root: output streamed line by line, cancel
// through an AbortSignal (the whole process group is asked to end, then made to), and the tail of
// the output kept.
import { spawn } from 'node:child_process';
import type { Runner, RunResult, RunOptions } from '../core/ports';

/** How much of a command's output is kept for messages (the stream itself is unbounded). */
const KEPT_OUTPUT = 16 * 1024;

/** How long a cancelled command may take to end after SIGTERM before its process group is killed. */
export const KILL_AFTER_MS = 5000;

export function createRunner(env: NodeJS.ProcessEnv = process.env, { killAfterMs = KILL_AFTER_MS }: { killAfterMs?: number } = {}): Runner {
  return { run: (command, options) => runInShell(command, options, env, killAfterMs) };
}

function runInShell(command: string, options: RunOptions, env: NodeJS.ProcessEnv, killAfterMs: number): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ started: false, exitCode: null, output: '', cancelled: true, durationMs: 0 });
      return;
    }
    const detached = process.platform !== 'win32';
    const child = spawn(command, { cwd: options.cwd, shell: true, detached, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, CI: env.CI ?? '1' } });
    let cancelled = false;
    let kept = '';
    let pending = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      kept = (kept + text).slice(-KEPT_OUTPUT);
      if (!options.onLine) return;
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (detached && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        /* already gone */
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const cancel = () => {
      cancelled = true;
      signalGroup('SIGTERM');
      // A test suite that ignores SIGTERM must not keep a cancelled run (and the editor's progress) alive.
      killTimer = setTimeout(() => signalGroup('SIGKILL'), killAfterMs);
      killTimer.unref();
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    let settled = false;
    const settle = (result: Omit<RunResult, 'durationMs' | 'output' | 'cancelled'>) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', cancel);
      if (pending && options.onLine) options.onLine(pending);
      resolve({ ...result, output: kept, cancelled, durationMs: performance.now() - started });
    };
    // The shell could not be spawned at all (a missing working directory, no shell): no exit code.
    child.on('error', (err) => settle({ started: false, exitCode: null, error: err.message }));
    child.on('close', (code) => settle({ started: true, exitCode: code }));
  });
}
