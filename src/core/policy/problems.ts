// Owns how policy problems are ordered and written out as text: the one order every door shows
// them in, and the lines a terminal prints.
import type { PolicyProblem } from '../errors';

/** How many problems a terminal shows before it only counts the rest. */
export const PROBLEMS_SHOWN = 20;

/**
 * The order problems are reported in: the `version` first, since it decides how the rest of the
 * file is read; then file order (line, column); problems without a position (line 0) last, since
 * they cannot be placed in the file. The sort is stable: problems at one position keep their order.
 */
export function orderPolicyProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const rank = (p: PolicyProblem) => (p.key === 'version' ? 0 : p.line > 0 ? 1 : 2);
  return [...problems].sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
}

/** `FILE:LINE:COL: KEY: message`; without a position `FILE: KEY: message`; without a key `FILE:LINE:COL: message`. */
export function formatPolicyProblem(p: PolicyProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}:${p.key ? ` ${p.key}:` : ''} ${p.message}`;
}

/** One line per problem, in report order; beyond `cap`, one last line counts the rest. */
export function formatPolicyProblems(problems: readonly PolicyProblem[], cap: number = PROBLEMS_SHOWN): string[] {
  const ordered = orderPolicyProblems(problems);
  const shown = ordered.length > cap ? ordered.slice(0, cap) : ordered;
  const lines = shown.map(formatPolicyProblem);
  const rest = ordered.length - shown.length;
  if (rest > 0) lines.push(`…and ${rest} more problem${rest === 1 ? '' : 's'}`);
  return lines;
}

/** One line for all of them: the first, and how many more there are. */
export function summarizePolicyProblems(problems: readonly PolicyProblem[]): string {
  const ordered = orderPolicyProblems(problems);
  const more = ordered.length - 1;
  return `${formatPolicyProblem(ordered[0])}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`;
}
