// Owns what a glob is before it is compiled: its normal form, and how far its braces expand. Both
// validation (schema.ts) and compilation (rules/globIndex.ts) read globs through these, so a glob
// the policy accepts is one the engine can compile in bounded time and memory.

/** A glob as the engine reads it: trimmed, `\` as `/`, without a leading `./` or `/`, a trailing `/` meaning everything below. */
export function normaliseGlob(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  if (g.endsWith('/')) g = `${g}**`;
  return g;
}

/**
 * How many globs the braces of a glob expand to (an upper bound, saturating just above `cap`, so
 * counting never costs what expanding would), and how deeply they nest. A `{` without its `}` is
 * a literal, as expandBraces reads it.
 */
export function braceShape(glob: string, cap: number): { alternatives: number; depth: number } {
  let maxDepth = 0;
  const sequence = (start: number, depth: number): [number, number] => {
    let count = 1;
    let i = start;
    while (i < glob.length) {
      const ch = glob[i];
      if (ch === '\\') i += 2;
      else if (ch === '{') {
        const g = group(i + 1, depth + 1);
        if (g) {
          count = Math.min(cap + 1, count * g[0]);
          maxDepth = Math.max(maxDepth, depth + 1);
          i = g[1];
        } else i++;
      } else if ((ch === ',' || ch === '}') && depth > 0) return [count, i];
      else i++;
    }
    return [count, i];
  };
  const group = (start: number, depth: number): [number, number] | undefined => {
    let sum = 0;
    let i = start;
    for (;;) {
      const [count, next] = sequence(i, depth);
      sum = Math.min(cap + 1, sum + count);
      if (glob[next] === ',') i = next + 1;
      else if (glob[next] === '}') return [sum, next + 1];
      else return undefined;
    }
  };
  const [alternatives] = sequence(0, 0);
  return { alternatives, depth: maxDepth };
}
