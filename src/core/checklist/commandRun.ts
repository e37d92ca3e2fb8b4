// Owns running a checklist command item: which command, at which commit, whether the tree was
// clean, and what a finished run records. The door provides the Runner and decides whether the
// command may run at all (workspace trust); a cancelled run, or one that never started, records
// nothing.
import type { Assessment, ChecklistEntry } from '../assessment';
import { isWorkingTreeDirty } from '../change/change';
import { ChangeControlError } from '../errors';
import type { Clock, Git, Runner } from '../ports';
import { systemClock } from '../ports';
import { checklistEntry } from './evidenceEdits';
import type { CommandRunRecord } from './evidence';

/** Exit codes with which a POSIX shell says the command itself could not be found or executed. */
const SHELL_COULD_NOT_START = new Set([126, 127]);

export interface CommandToRun {
  entry: ChecklistEntry;
  command: string;
}

/** The command item `itemId` of this checklist and what to run, or an error saying why not. */
export function commandToRun(assessment: Assessment, itemId: string): CommandToRun {
  const entry = checklistEntry(assessment, itemId);
  if (entry.kind !== 'command') {
    throw new ChangeControlError('CHECKLIST_ITEM', `"${entry.title}" (${itemId}) is not a command item: nothing to run.`);
  }
  if (!entry.command) throw new ChangeControlError('CHECKLIST_ITEM', `"${entry.title}" (${itemId}): ${entry.why}`);
  return { entry, command: entry.command };
}

/**
 * The command items of this checklist that a run could still complete, in checklist order: every
 * command item not done yet (pending, failed, or passed at an older commit). What `check --run`
 * runs; an item whose command is unknown is included, and `commandToRun` says why it cannot run.
 */
export function openCommandItems(assessment: Assessment): ChecklistEntry[] {
  return assessment.checklist.filter((c) => c.kind === 'command' && c.state !== 'done' && c.state !== 'not-applicable');
}

export type CommandRunOutcome =
  | { kind: 'finished'; itemId: string; run: CommandRunRecord }
  | { kind: 'cancelled'; itemId: string }
  | { kind: 'not-started'; itemId: string; message: string };

export interface RunCommandItemInput {
  git: Git;
  runner: Runner;
  /** The repository root: commands run from there. */
  cwd: string;
  assessment: Assessment;
  itemId: string;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  clock?: Clock;
}

export async function runCommandItem(input: RunCommandItemInput): Promise<CommandRunOutcome> {
  const { entry, command } = commandToRun(input.assessment, input.itemId);
  const itemId = entry.id;
  // Measured before the run: a run over uncommitted work proves nothing about a commit.
  const dirty = await isWorkingTreeDirty(input.git, input.signal);
  const result = await input.runner.run(command, { cwd: input.cwd, signal: input.signal, onLine: input.onLine });
  if (result.cancelled || input.signal?.aborted) return { kind: 'cancelled', itemId };
  if (!result.started || (result.exitCode !== null && SHELL_COULD_NOT_START.has(result.exitCode))) {
    const detail = result.error ?? lastLine(result.output) ?? `exit code ${result.exitCode}`;
    return {
      kind: 'not-started',
      itemId,
      message: `"${command}" could not start (${detail}): install what it needs or set \`run:\` on "${itemId}" in the policy. Nothing was recorded.`,
    };
  }
  const at = (input.clock ?? systemClock).now().toISOString();
  return {
    kind: 'finished',
    itemId,
    run: { exitCode: result.exitCode, at, commit: input.assessment.repository.headSha, dirty, command, durationMs: Math.round(result.durationMs) },
  };
}

function lastLine(output: string): string | undefined {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1].slice(0, 200) : undefined;
}
