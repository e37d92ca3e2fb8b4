// When the editor assesses a repository (AssessmentRuns): a newer trigger cancels a stale run,
// and git's own state events, which follow every save, never throw a save's run away.
import assert from 'node:assert/strict';
import { AssessmentRuns } from '../../src/extension/assessmentRuns';

/** Runs that finish when the test says, recording how each one ended. */
function recorder() {
  const log: string[] = [];
  const finish = new Map<string, () => void>();
  const runs = new AssessmentRuns(async (reason, _triggeredAt, signal, current) => {
    log.push(`start ${reason}`);
    await new Promise<void>((resolve) => {
      finish.set(reason, resolve);
      signal.addEventListener('abort', () => resolve());
    });
    log.push(current() ? `publish ${reason}` : `cancelled ${reason}`);
  });
  const started = async (reason: string) => {
    // Bounded, so that a run that never starts fails the test instead of hanging it.
    for (let waited = 0; !finish.has(reason); waited++) {
      if (waited > 2000) throw new Error(`the ${reason} run never started; runs so far: ${log.join(', ')}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const done = async (reason: string) => {
    await started(reason);
    finish.get(reason)!();
    finish.delete(reason);
    await new Promise((r) => setImmediate(r));
  };
  return { runs, log, started, done };
}

describe('when the editor assesses a repository', () => {
  it('a newer trigger cancels the run in progress: a stale result is never published', async () => {
    const { runs, log, started, done } = recorder();
    void runs.refresh('policy file changed');
    await started('policy file changed');
    void runs.refresh('save');
    await done('save');
    await runs.whenIdle();
    assert.deepEqual(log, ['start policy file changed', 'start save', 'cancelled policy file changed', 'publish save']);
  });

  it("git's state event during a save's run does not cancel it: the save is published, then the event runs", async () => {
    const { runs, log, started, done } = recorder();
    void runs.refresh('save', 1);
    await started('save');
    void runs.refresh('git state changed', undefined, { afterCurrent: true });
    void runs.refresh('git state changed', undefined, { afterCurrent: true });
    await done('save');
    await done('git state changed');
    await runs.whenIdle();
    assert.deepEqual(log, ['start save', 'publish save', 'start git state changed', 'publish git state changed'], 'several events make one run, after the save');
  });

  it("git's state event while a save waits to run does not replace it: the save runs, then the event", async () => {
    const { runs, log, done } = recorder();
    runs.schedule('save', 5, 1);
    runs.schedule('git state changed', 0, undefined, { afterCurrent: true });
    await done('save');
    await done('git state changed');
    await runs.whenIdle();
    assert.deepEqual(log, ['start save', 'publish save', 'start git state changed', 'publish git state changed']);
  });

  it('triggers within the quiet period make one run, of the last trigger', async () => {
    const { runs, log, done } = recorder();
    runs.schedule('git state changed', 5);
    runs.schedule('policy file changed', 5);
    await done('policy file changed');
    await runs.whenIdle();
    assert.deepEqual(log, ['start policy file changed', 'publish policy file changed']);
  });

  it('is idle only when nothing waits or runs, and disposing cancels what runs', async () => {
    const { runs, log, started } = recorder();
    let idle = false;
    runs.schedule('save', 0, 1);
    void runs.whenIdle().then(() => (idle = true));
    await started('save');
    assert.equal(idle, false);
    runs.dispose();
    await runs.whenIdle();
    assert.equal(idle, true);
    assert.deepEqual(log, ['start save', 'cancelled save']);
  });
});
