import assert from 'node:assert/strict';
import type { Assessment, ChecklistEntry } from '../../src/core/assessment';
import { openCommandItems } from '../../src/core/checklist/commandRun';
import { isChangeControlError } from '../../src/core/errors';
import { levelIndexOf, reachesLevel } from '../../src/core/gate';

const LEVELS = [
  { id: 'regular', title: 'Regular', index: 0 },
  { id: 'significant', title: 'Significant', index: 1 },
  { id: 'critical', title: 'Critical', index: 2 },
];

/** Only what the gate and the run selection read. */
function assessment(level: number, checklist: Partial<ChecklistEntry>[] = [], files = 1): Assessment {
  return { level: LEVELS[level], levels: LEVELS, checklist: checklist as ChecklistEntry[], files: new Array(files).fill({}) } as Assessment;
}

describe('the level gate (--fail-on)', () => {
  it('a change reaches its own level and those below it, not those above', () => {
    assert.equal(reachesLevel(assessment(1), 'regular'), true);
    assert.equal(reachesLevel(assessment(1), 'significant'), true);
    assert.equal(reachesLevel(assessment(1), 'critical'), false);
    assert.equal(reachesLevel(assessment(0), 'significant'), false);
  });

  it('an empty change reaches no level: there is nothing to gate', () => {
    assert.equal(reachesLevel(assessment(0, [], 0), 'regular'), false);
    assert.equal(reachesLevel(assessment(0, [], 1), 'regular'), true);
    assert.throws(() => reachesLevel(assessment(0, [], 0), 'nope'), /no such level/, 'a typo is still an error');
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

describe('which command items `check --run` runs', () => {
  it('every command item not done yet, in checklist order; nothing else', () => {
    const a = assessment(0, [
      { id: 'lint', kind: 'command', state: 'failed' },
      { id: 'e2e', kind: 'attestation', state: 'pending' },
      { id: 'unit', kind: 'command', state: 'done' },
      { id: 'types', kind: 'command', state: 'pending' },
      { id: 'auto', kind: 'command', state: 'pending' },
    ]);
    assert.deepEqual(openCommandItems(a).map((c) => c.id), ['lint', 'types', 'auto']);
  });
});
