// Owns the level gate a door can put on a change: does the change reach a given level of the
// policy. The CLI's `--fail-on` asks it; an unknown level is an error with a did-you-mean, raised
// before anything is assessed or run when the door asks early with the policy's levels.
import type { Assessment } from './assessment';
import { ChangeControlError } from './errors';
import { closest } from './policy/closest';

/**
 * The place (0 = least risky) of level `levelId` among `levels`, or an error naming the levels
 * there are. `asGiven` is how the door names what the person typed (e.g. `--fail-on signficant`).
 */
export function levelIndexOf(levels: readonly { id: string }[], levelId: string, asGiven: string = levelId): number {
  const index = levels.findIndex((l) => l.id === levelId);
  if (index >= 0) return index;
  const ids = levels.map((l) => l.id);
  const hint = closest(levelId, ids);
  throw new ChangeControlError('USAGE', `${asGiven}: the policy has no such level.${hint ? ` Did you mean "${hint}"?` : ''} Levels: ${ids.join(', ')}.`);
}

/** Whether the change is at level `levelId` or above. An empty change reaches none: nothing would ship. */
export function reachesLevel(assessment: Assessment, levelId: string, asGiven: string = levelId): boolean {
  const index = levelIndexOf(assessment.levels, levelId, asGiven);
  return assessment.files.length > 0 && assessment.level.index >= index;
}
