// The `change-control` command: picks the command (src/cli/commands/), runs it, and turns what
// went wrong into one line on stderr and an exit code. Nothing here decides anything about a change.
import { ChangeControlError, isChangeControlError } from '../core/errors';
import { formatPolicyProblems } from '../core/policy/problems';
import { closest } from '../core/policy/closest';
import type { CliCommand } from './command';
import { check } from './commands/check';
import type { CliIo } from './io';
import { baselineWasmOnly } from '../node/wasmTiering';
import { usage } from './usage';

export type { CliIo } from './io';

declare const CHANGE_CONTROL_VERSION: string | undefined;
const VERSION = typeof CHANGE_CONTROL_VERSION === 'string' ? CHANGE_CONTROL_VERSION : '0.0.0-dev';

/** Every command, `check` first; the others are loaded on first use (./otherCommands). */
function allCommands(): readonly CliCommand[] {
  return [check, ...(require('./otherCommands') as typeof import('./otherCommands')).OTHER_COMMANDS];
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return reportError(err, io);
  }
}

/** Every failure leaves on stderr, one line each (a policy error: one per problem): exit 2. */
function reportError(err: unknown, io: CliIo): number {
  if (isChangeControlError(err)) {
    // A policy error prints each of its problems on its own line; one problem is the message itself.
    const lines = err.problems.length ? formatPolicyProblems(err.problems) : [err.message];
    for (const line of lines) io.stderr(`change-control: ${line}\n`);
    return 2;
  }
  // Anything else is our bug: still one line, with where to report it.
  io.stderr(`change-control: internal error: ${(err as Error)?.message ?? String(err)} (please report this with the command you ran)\n`);
  if (io.env.CHANGE_CONTROL_DEBUG) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
  return 2;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(usage(allCommands()));
    return 0;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  // No command, or options first: `check`.
  const implicit = first === undefined || first.startsWith('-');
  const name = implicit ? check.name : first;
  const command = name === check.name ? check : allCommands().find((c) => c.name === name);
  if (!command) {
    const hint = closest(name, [...allCommands().map((c) => c.name), 'help', 'version']);
    throw new ChangeControlError('USAGE', `unknown command "${name}".${hint ? ` Did you mean "${hint}"?` : ''} Run \`change-control --help\`.`);
  }
  return command.run(implicit ? argv : rest, io);
}

if (require.main === module) {
  baselineWasmOnly();
  void runCli(process.argv.slice(2), {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stdin: { isTTY: Boolean(process.stdin.isTTY), read: readStdin, readLine },
    onInterrupt: (handler) => {
      // The first Ctrl-C cancels what runs; a second one quits at once.
      let count = 0;
      const listener = () => (++count > 1 ? process.exit(130) : handler());
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  }).then((code) => {
    process.exitCode = code;
  });
}

/** Writes to a stream; once its reader has gone (`| head`), drops the rest instead of crashing mid-run. */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone = true;
  });
  return (text) => {
    if (!gone) stream.write(text);
  };
}

/** One line a person types at a prompt. */
async function readLine(): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    return await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
  } finally {
    rl.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
