// Owns whether a moment falls in one of the policy's freeze windows.
import type { ActiveFreeze } from '../assessment';
import type { PolicyFreeze } from '../policy/schema';

/** A plain date as `until` includes that whole day (UTC). */
export function activeFreeze(windows: readonly PolicyFreeze[], now: Date): ActiveFreeze | null {
  const t = now.getTime();
  for (const w of windows) {
    const from = Date.parse(w.from);
    const until = /^\d{4}-\d{2}-\d{2}$/.test(w.until) ? Date.parse(w.until) + 86_400_000 - 1 : Date.parse(w.until);
    if (t >= from && t <= until) return { title: w.title, from: w.from, until: w.until, mode: w.mode };
  }
  return null;
}
