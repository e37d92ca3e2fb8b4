// Owns the grouping every human-facing rendering shares: reasons by rule and zone, so a change
// with 300 files in one zone reads as one line with a count, not 300 lines.
import type { Assessment, Reason } from '../assessment';

export interface ReasonGroup {
  /** The first reason of the group stands for it; `count` says how many there are. */
  reason: Reason;
  count: number;
  paths: string[];
}

export function groupReasons(a: Assessment): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const r of a.reasons) {
    // Zone-by-path reasons group per zone; everything with a line stays on its own.
    const key = r.rule === 'zone' ? `zone:${r.id}` : `${r.rule}:${r.id}:${r.path}:${r.line}:${r.message}`;
    const g = groups.get(key);
    if (g) {
      g.count++;
      if (r.path) g.paths.push(r.path);
    } else groups.set(key, { reason: r, count: 1, paths: r.path ? [r.path] : [] });
  }
  return [...groups.values()];
}

export const STATE_MARK = { done: '✓', pending: '○', failed: '✗', 'not-applicable': '–' } as const;

/**
 * The short names of every rule that raised the change, for its headline: the zones that fired,
 * then `migrations` (a schema change beyond the allowed operations, or an edited migration) and
 * `components` (a change across the policy's threshold of components).
 */
export function headlineTags(a: Assessment): string[] {
  const tags = a.zones.map((z) => z.id);
  const add = (tag: string) => {
    if (!tags.includes(tag)) tags.push(tag);
  };
  if (a.reasons.some((r) => r.rule === 'migration' || r.rule === 'migration-history')) add('migrations');
  if (a.reasons.some((r) => r.rule === 'components')) add('components');
  return tags;
}

/** What the headline shows of the tags: at most `max`, then "+N". Empty when there are none. */
export function headlineTagText(a: Assessment, max = Infinity): string {
  const tags = headlineTags(a);
  return tags.slice(0, max).join(', ') + (tags.length > max ? ` +${tags.length - max}` : '');
}

/** One line that says what the change is and why, e.g. "Significant · auth, schema". */
export function headline(a: Assessment, maxTags = Infinity): string {
  const tags = headlineTagText(a, maxTags);
  return tags ? `${a.level.title} · ${tags}` : a.level.title;
}
