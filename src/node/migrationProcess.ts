// Parses migrations in a child process of their own (dist/migrationWorker.js), for the editor: the
// parsers are WebAssembly, and in a process that keeps V8's optimising compiler on (the extension
// host is shared with other extensions, so its flags are not ours) they take it past 150 MB. The
// child keeps the baseline compiler, as the CLI does, and holds the parsers instead of the host.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ChangeControlError } from '../core/errors';
import type { MigrationFramework, MigrationOperation } from '../core/migrations/types';
import type { MigrationParser } from '../core/ports';

type Work = { kind: 'load'; frameworks: readonly string[] } | { kind: 'analyse'; path: string; framework: MigrationFramework; content: string };

export type MigrationRequest = Work & { id: number };

export type MigrationReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };

/** Longer than any file's analysis budget and a cold parser load: past it the child is taken as stuck. */
const REQUEST_TIMEOUT_MS = 60_000;

interface Waiting {
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class MigrationProcess implements MigrationParser {
  private child: ChildProcess | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private stderrTail = '';

  constructor(
    private readonly script = path.join(__dirname, 'migrationWorker.js'),
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {}

  /** The child's process id while it runs (tests and the benchmark read its memory). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Loads the parsers of these frameworks in the child, ahead of the first migration. */
  async load(frameworks: readonly MigrationFramework[]): Promise<void> {
    await this.request({ kind: 'load', frameworks });
  }

  async analyseSource(path: string, framework: MigrationFramework, content: string): Promise<{ framework: MigrationFramework; operations: MigrationOperation[] }> {
    return (await this.request({ kind: 'analyse', path, framework, content })) as { framework: MigrationFramework; operations: MigrationOperation[] };
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill();
    this.failAll(new ChangeControlError('MIGRATION_PARSER', 'The migration parser process was closed.'));
  }

  private request(message: Work): Promise<unknown> {
    const child = this.running();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A parser that does not answer is stuck: a new child serves the next request.
        this.stop(child, `it did not answer within ${this.timeoutMs / 1000} s`);
      }, this.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      child.send({ ...message, id } satisfies MigrationRequest, (err) => {
        if (err) this.stop(child, err.message);
      });
    });
  }

  private running(): ChildProcess {
    if (this.child) return this.child;
    // No inherited execArgv: the host's own flags (an inspector port, for one) are not the child's.
    const child = fork(this.script, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    this.child = child;
    this.stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (reply: MigrationReply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      clearTimeout(waiting.timer);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new ChangeControlError('MIGRATION_PARSER', reply.message));
    });
    child.on('error', (err) => this.stop(child, err.message));
    child.on('exit', (code, signal) => this.stop(child, signal ? `it was stopped by ${signal}` : `it exited with code ${code}`));
    return child;
  }

  /** The child is gone or useless: every request waiting on it fails (its migrations count as beyond), and the next request starts a new one. */
  private stop(child: ChildProcess, why: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    child.kill();
    const detail = this.stderrTail.trim().split('\n').pop();
    this.failAll(new ChangeControlError('MIGRATION_PARSER', `The migration parser process stopped (${why})${detail ? `: ${detail}` : ''}.`));
  }

  private failAll(err: Error): void {
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(err);
      this.waiting.delete(id);
    }
  }
}
