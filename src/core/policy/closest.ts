// Did-you-mean for every message that names something unknown (a command, an option, a key, an
// id), and clipping of the text a message repeats. Apart from the schema so that the doors can
// use them without loading the policy parser (zod).

/** The closest candidate by edit distance, when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // A typo is of a word: past this length, there is no plausible one and the distance costs length².
  if (word.length > MAX_TYPO_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > Math.max(1, Math.floor(word.length / 3))) continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

const MAX_TYPO_LENGTH = 64;

/** At most the first 60 characters of a text a message repeats, so a huge value makes no huge message. */
export function clipText(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Optimal string alignment distance: a swap of two neighbours ("titel") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
