// Owns when one repository is assessed: a trigger waits out a quiet period (a newer one restarts
// it), a newer run cancels a stale one, and git's own state events, which follow every save,
// never cancel a save's run or replace a save about to run: they run after it. Timers and
// promises only, no `vscode`, so the ordering is tested with plain mocha (test/unit).

export interface RunOptions {
  /** Git's own state events: a run in progress (or a save about to run) is not cancelled; this one follows it. */
  afterCurrent?: boolean;
}

/**
 * One assessment. `current()` turns false once a newer run has started (the signal is aborted
 * then too): a stale run must not publish.
 */
export type AssessmentRun = (reason: string, triggeredAt: number | undefined, signal: AbortSignal, current: () => boolean) => Promise<void>;

export class AssessmentRuns {
  private timer: NodeJS.Timeout | undefined;
  /** Whether the run the timer will start is a save's. */
  private scheduledSave = false;
  /** A git-state event that arrived while a save was about to run: it runs after that save. */
  private afterScheduledSave: string | undefined;
  private controller: AbortController | undefined;
  private generation = 0;
  private inFlight: Promise<void> | undefined;
  /** A trigger that arrived during a run it must not cancel: it runs once that one is done. */
  private queued: string | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly run: AssessmentRun) {}

  /** Runs after `delayMs` of quiet; a newer trigger restarts the wait (see RunOptions for git's events). */
  schedule(reason: string, delayMs: number, triggeredAt?: number, options: RunOptions = {}): void {
    if (options.afterCurrent && this.timer && this.scheduledSave) {
      this.afterScheduledSave = reason;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.scheduledSave = reason === 'save';
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.scheduledSave = false;
      const follow = this.afterScheduledSave;
      this.afterScheduledSave = undefined;
      void this.refresh(reason, triggeredAt, options);
      if (follow) this.queued = follow;
    }, delayMs);
  }

  /**
   * Runs now, cancelling a run still in progress (its result would be stale) — unless
   * `afterCurrent`: then the run in progress finishes first and this one follows it (several such
   * triggers meanwhile make one run). Resolves when the run it started or joined is done.
   */
  refresh(reason: string, triggeredAt?: number, options: RunOptions = {}): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.scheduledSave = false;
      this.afterScheduledSave = undefined;
    }
    if (options.afterCurrent && this.inFlight) {
      this.queued = reason;
      return this.inFlight.then(() => this.inFlight);
    }
    this.queued = undefined;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const generation = ++this.generation;
    const current = () => !controller.signal.aborted && generation === this.generation;
    const run = this.run(reason, triggeredAt, controller.signal, current).finally(() => {
      if (this.inFlight === run) {
        this.inFlight = undefined;
        const queued = this.queued;
        if (queued) void this.refresh(queued);
      }
      this.notifyIdle();
    });
    this.inFlight = run;
    return run;
  }

  /** Resolves when no run is waiting or in progress. */
  whenIdle(): Promise<void> {
    if (!this.timer && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.timer || this.inFlight) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
