// Argument parsing every command shares: strict options, `--help`, `-C DIR`, and usage errors
// that say what is wrong in one line.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ChangeControlError } from '../core/errors';
import { closest } from '../core/policy/closest';
import type { CliIo } from './io';

export type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** `-C DIR`: run as if started in DIR. */
export const DIR_OPTION = { C: { type: 'string', short: 'C' } } as const;

/** Which policy applies and what the change is measured from: the options of every command that assesses. */
export const POLICY_OPTIONS = {
  base: { type: 'string' },
  policy: { type: 'string' },
  preset: { type: 'string' },
  ...DIR_OPTION,
} as const;

export function parse<O extends Options>(args: readonly string[], options: O, { positionals = false }: { positionals?: boolean } = {}) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new ChangeControlError('USAGE', `${argsMessage((err as Error).message)} Run \`change-control --help\`.`);
  }
}

/** Node's parseArgs message as one sentence: it may span lines and name an option as `-C, --C <value>`. */
export function argsMessage(message: string): string {
  // `--base --foo` (ambiguous) and `--base` last (missing): the option has no value either way.
  const noValue = /^Option '(?:-\w, )?(--?[\w-]+)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(message);
  if (noValue) {
    if (noValue[1] === '--C') return '-C needs a value: write -C DIR.';
    return `${noValue[1]} needs a value: write ${noValue[1]} VALUE (a value that starts with "-" as ${noValue[1]}=-VALUE).`;
  }
  const first = message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/^Unknown option '([^']+)'.*/, 'unknown option $1');
  return first.endsWith('.') ? first : `${first}.`;
}

/** The folder a command runs in: `-C DIR` resolved against the current directory. */
export function workingDirectory(io: CliIo, dir: unknown): string {
  return typeof dir === 'string' && dir ? path.resolve(io.cwd, dir) : io.cwd;
}

/** A usage error, pointing at the command's help. */
export function usageError(command: string, message: string): ChangeControlError {
  return new ChangeControlError('USAGE', `${message} Run \`change-control ${command} --help\`.`);
}

/** The subcommand of `record` or `emergency`, with a did-you-mean for a typo. */
export function subcommand(command: string, given: string | undefined, known: readonly string[], fallback?: string): string {
  const sub = given ?? fallback;
  if (sub !== undefined && known.includes(sub)) return sub;
  if (sub === undefined) throw usageError(command, `${command}: expected ${known.join(' or ')}.`);
  const hint = closest(sub, known);
  throw usageError(command, `${command} ${sub}: unknown subcommand.${hint ? ` Did you mean "${hint}"?` : ''} Expected ${known.join(' or ')}.`);
}
