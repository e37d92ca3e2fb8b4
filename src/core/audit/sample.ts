// Owns the audit's reproducible sample: the same population, size and seed draw the same changes
// on every machine. The population is ordered by entryKey (pull requests by number, then direct
// pushes by time and sha), then a partial Fisher–Yates shuffle driven by mulberry32(seed) picks the
// first N. Documented in the README so that an auditor can redraw it by hand.
import { mulberry32 } from '../seededRandom';

export const SAMPLE_GENERATOR = 'mulberry32, partial Fisher–Yates over the population ordered by pull-request number, then direct pushes by time';

export function drawSample(keys: readonly string[], size: number, seed: number): Set<string> {
  const ordered = [...keys].sort(compareKeys);
  const random = mulberry32(seed);
  const n = Math.min(size, ordered.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (ordered.length - i));
    [ordered[i], ordered[j]] = [ordered[j], ordered[i]];
  }
  return new Set(ordered.slice(0, n));
}

/** `pr:N` by N, before `push:TIME:SHA` by time then sha. */
function compareKeys(a: string, b: string): number {
  const pa = a.startsWith('pr:');
  const pb = b.startsWith('pr:');
  if (pa !== pb) return pa ? -1 : 1;
  if (pa) return Number(a.slice(3)) - Number(b.slice(3));
  return a < b ? -1 : a > b ? 1 : 0;
}
