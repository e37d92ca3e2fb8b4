// `check --run`: runs the checklist's open command items through the engine, one after another,
// with their output streamed, and records each finished run in the branch's evidence exactly as
// the editor does (runCommandItem, then recordRun through updateEvidence). Ctrl-C cancels the
// running command and records nothing for it.
import type { Assessment } from '../core/assessment';
import { commandToRun, openCommandItems, runCommandItem } from '../core/checklist/commandRun';
import type { Evidence } from '../core/checklist/evidence';
import { recordRun } from '../core/checklist/evidenceEdits';
import { isChangeControlError } from '../core/errors';
import { STATE_MARK } from '../core/report/summary';
import { updateEvidence } from '../node/evidenceStore';
import { createRunner } from '../node/runner';
import type { Inputs } from './inputs';
import type { CliIo } from './io';
import type { Colours } from './textReport';

export interface RunsOutcome {
  /** The evidence after the last recorded run; undefined when nothing was recorded. */
  evidence?: Evidence;
  /** Items whose run finished, by id, with their exit codes. */
  finished: { itemId: string; title: string; exitCode: number | null }[];
  /** A command failed or could not start. */
  failed: boolean;
  /** Ctrl-C: the running command was ended and nothing recorded for it; later items did not run. */
  cancelled: boolean;
}

export async function runOpenCommands(inputs: Inputs, assessment: Assessment, io: CliIo, out: (text: string) => void, c: Colours): Promise<RunsOutcome> {
  const result: RunsOutcome = { finished: [], failed: false, cancelled: false };
  const items = openCommandItems(assessment);
  if (items.length === 0) {
    out(`Nothing to run: ${assessment.checklist.some((i) => i.kind === 'command') ? 'every command item is done' : 'the checklist has no command items'}.\n\n`);
    return result;
  }
  let controller: AbortController | undefined;
  const stopListening = io.onInterrupt?.(() => {
    result.cancelled = true;
    controller?.abort();
  });
  try {
    for (const entry of items) {
      if (result.cancelled) break;
      let command: string;
      try {
        command = commandToRun(assessment, entry.id).command;
      } catch (err) {
        if (!isChangeControlError(err)) throw err;
        out(`${c.red(STATE_MARK.failed)} Not run: ${err.message}\n\n`);
        result.failed = true;
        continue;
      }
      out(`${c.bold(`▶ ${entry.title}`)} (${entry.id}): ${command}\n`);
      controller = new AbortController();
      const signal = controller.signal;
      const outcome = await runCommandItem({
        git: inputs.git,
        runner: createRunner(),
        cwd: inputs.repo.root,
        assessment,
        itemId: entry.id,
        signal,
        onLine: (line) => out(`${c.dim('  │')} ${line}\n`),
      }).catch((err: unknown) => {
        // Interrupted while git was still looking at the tree: the same as a cancelled run.
        if (signal.aborted) return { kind: 'cancelled' as const, itemId: entry.id };
        throw err;
      });
      if (outcome.kind === 'cancelled') {
        out(`${c.yellow('■')} ${entry.title}: cancelled; nothing was recorded for it.\n`);
        result.cancelled = true;
        break;
      }
      if (outcome.kind === 'not-started') {
        out(`${c.red(STATE_MARK.failed)} ${outcome.message}\n\n`);
        result.failed = true;
        continue;
      }
      const { run } = outcome;
      result.evidence = await updateEvidence(inputs.repo, (e) => recordRun(e, entry.id, run));
      result.finished.push({ itemId: entry.id, title: entry.title, exitCode: run.exitCode });
      const took = `${((run.durationMs ?? 0) / 1000).toFixed(1)}s`;
      if (run.exitCode === 0) out(`${c.green(STATE_MARK.done)} ${entry.title}: passed (${took}); recorded at ${run.commit?.slice(0, 7) ?? 'no commit'}${run.dirty ? ', over uncommitted changes' : ''}.\n\n`);
      else {
        out(`${c.red(STATE_MARK.failed)} ${entry.title}: failed with exit code ${run.exitCode} (${took}); recorded.\n\n`);
        result.failed = true;
      }
    }
  } finally {
    stopListening?.();
  }
  return result;
}

/** After re-assessing: a run that passed but leaves its item open (e.g. over uncommitted changes), said plainly. */
export function openAfterPassing(runs: RunsOutcome, assessment: Assessment): string[] {
  return runs.finished
    .filter((r) => r.exitCode === 0)
    .flatMap((r) => {
      const entry = assessment.checklist.find((i) => i.id === r.itemId);
      return entry && entry.state !== 'done' ? [`"${r.title}" passed, but the item stays open: ${entry.why}`] : [];
    });
}
