// `change-control --help`: every command, with its options, composed from the commands' own help.
import type { CliCommand } from './command';

export function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  const list = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
  const sections = commands.map((c) => `${c.name} options:\n${c.options}`).join('\n');
  return `Usage: change-control <command> [options]

Commands:
${list}

${sections}
Run \`change-control <command> --help\` for one command.

Exit codes: 0 ok, 1 --fail-on reached, a \`check --run\` command failed or could not start, or a
notify target could not be told, 2 usage, git or policy error, 130 \`check --run\` interrupted.
`;
}
