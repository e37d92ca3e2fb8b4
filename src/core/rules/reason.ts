// Owns how a rule states a reason: every reason carries its level's title, so no door looks it up.
import type { Reason } from '../assessment';
import { levelRef, type CompiledPolicy } from './compiledPolicy';

/** What every rule returns: the reasons it found and what it could not look at. */
export interface RuleResult {
  reasons: Reason[];
  notes: string[];
}

export function makeReason(compiled: CompiledPolicy, reason: Omit<Reason, 'levelTitle' | 'message'> & { message: (levelTitle: string) => string }): Reason {
  const levelTitle = levelRef(compiled, reason.level).title;
  return { ...reason, levelTitle, message: reason.message(levelTitle) };
}
