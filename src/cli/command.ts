// What a command of the CLI is: its name and help, and a function from arguments to an exit code.
import type { CliIo } from './io';

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The ways it is called, after `change-control `, each starting with the name; `\n` continues a long one. */
  synopsis: readonly string[];
  /** Its options and arguments, one per line, indented by two spaces. */
  options: string;
  /** What its exit codes mean. */
  exitCodes: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** `change-control <command> --help`. */
export function commandHelp(c: CliCommand): string {
  return `${synopsis(c, 'Usage: change-control ')}\n\n${c.summary}.\n\nOptions:\n${c.options}\nExit codes: ${c.exitCodes}\n`;
}

/** The synopsis after `prefix` (later forms aligned under the first), continuations under the first argument. */
export function synopsis(c: CliCommand, prefix = 'change-control '): string {
  const lead = ' '.repeat(prefix.length - 'change-control '.length);
  const indent = ' '.repeat(prefix.length + c.name.length + 1);
  return c.synopsis
    .map((form, i) => `${i === 0 ? prefix : `${lead}change-control `}${form.split('\n').join(`\n${indent}`)}`)
    .join('\n');
}

/** The options every command that assesses shares, as help lines. */
export const POLICY_OPTION_LINES = (presets: readonly string[]) => `  --base REF          Measure from the merge-base with REF (default: the base branch)
  --policy FILE       Use this policy file
  --preset NAME       Use a built-in preset (${presets.join(', ')})
  -C DIR              Run as if started in DIR
`;
