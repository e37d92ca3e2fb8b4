import assert from 'node:assert/strict';
import type { Assessment } from '../../src/core/assessment';
import { isChangeControlError } from '../../src/core/errors';
import { levelIndexOf, reachesLevel } from '../../src/core/gate';

const LEVELS = [
  { id: 'regular', title: 'Regular', index: 0 },
  { id: 'significant', title: 'Significant', index: 1 },
  { id: 'critical', title: 'Critical', index: 2 },
];

/** Only what the gate reads. */
function assessment(level: number): Assessment {
  return { level: LEVELS[level], levels: LEVELS } as Assessment;
}

describe('the level gate (--fail-on)', () => {
  it('a change reaches its own level and those below it, not those above', () => {
    assert.equal(reachesLevel(assessment(1), 'regular'), true);
    assert.equal(reachesLevel(assessment(1), 'significant'), true);
    assert.equal(reachesLevel(assessment(1), 'critical'), false);
    assert.equal(reachesLevel(assessment(0), 'significant'), false);
  });

  it('an unknown level is a usage error with a did-you-mean, in the words the door gives', () => {
    assert.throws(
      () => reachesLevel(assessment(0), 'signficant', '--fail-on signficant'),
      (err: unknown) =>
        isChangeControlError(err) && err.code === 'USAGE' && err.message === '--fail-on signficant: the policy has no such level. Did you mean "significant"? Levels: regular, significant, critical.',
    );
    assert.throws(() => levelIndexOf(LEVELS, 'zzz'), /^ChangeControlError: zzz: the policy has no such level\. Levels: regular, significant, critical\.$/);
    assert.equal(levelIndexOf(LEVELS, 'critical'), 2);
  });
});
