// Owns the freeze rule: whether a moment falls in one of the policy's freeze windows, and the
// reason that says what the window allows. A freeze never raises the level; it gates shipping.
import type { ActiveFreeze, Reason } from '../assessment';
import type { PolicyFreeze } from '../policy/schema';
import type { CompiledPolicy } from './compiledPolicy';
import { makeReason } from './reason';

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

/** The freeze in force at `now`, and its reason stated at the change's level `levelId`. */
export function applyFreezeRule(compiled: CompiledPolicy, now: Date, levelId: string): { freeze: ActiveFreeze | null; reasons: Reason[] } {
  const freeze = activeFreeze(compiled.policy.freeze, now);
  if (!freeze) return { freeze, reasons: [] };
  const reason = makeReason(compiled, {
    rule: 'freeze',
    id: freeze.title,
    level: levelId,
    label: freeze.title,
    path: null,
    line: null,
    message: () =>
      freeze.mode === 'block'
        ? `${freeze.title} is in force (${freeze.from} – ${freeze.until}): no change may ship.`
        : `${freeze.title} is in force (${freeze.from} – ${freeze.until}): only the emergency path may ship.`,
  });
  return { freeze, reasons: [reason] };
}
