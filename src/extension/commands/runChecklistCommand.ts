// Runs a checklist command item (a test suite) from the tree, with progress and cancel; the engine
// decides what to run and what a finished run records. Never in an untrusted workspace: the
// command comes from the repository's policy, so running it would run the repository's code.
import * as vscode from 'vscode';
import { assessedRepository, editEvidence, notify, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';
import type { RepositoryWatch } from '../repositoryWatch';

export async function runChecklistCommand(ctx: CommandContext, target?: unknown, itemIdArg?: string): Promise<void> {
  const itemId = itemIdArg ?? (target && typeof target === 'object' && 'ref' in target ? (target as { ref?: { itemId?: string } }).ref?.itemId : undefined);
  const watch = await assessedRepository(ctx, target);
  if (!watch || !itemId) return;
  await runChecklistItem(ctx, watch, itemId);
}

export type ItemRun = 'passed' | 'failed' | 'cancelled' | 'not-run';

/** Runs one command item of the watch's assessment with progress and cancel, and records a finished run. */
export async function runChecklistItem(ctx: CommandContext, watch: RepositoryWatch, itemId: string): Promise<ItemRun> {
  const engine = loadEngine();
  const assessment = watch.view.assessment!;
  let toRun: ReturnType<typeof engine.commandToRun>;
  try {
    toRun = engine.commandToRun(assessment, itemId);
  } catch (err) {
    notify(ctx, 'warning', `Change Control: ${(err as Error).message}`);
    return 'not-run';
  }
  const { entry, command } = toRun;
  if (!vscode.workspace.isTrusted) {
    ctx.log.warn(`Not running "${command}" for "${entry.title}": the workspace is not trusted.`);
    void Promise.resolve(
      vscode.window.showWarningMessage(
        `Change Control does not run the policy's commands in an untrusted workspace ("${entry.title}": ${command}).`,
        'Manage Workspace Trust',
        'Show Log',
      ),
    ).then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
      if (choice === 'Show Log') ctx.log.show(true);
    });
    return 'not-run';
  }
  if (watch.view.running.has(itemId)) return 'not-run';
  watch.setRunning(itemId, true);
  ctx.log.info(`${watch.view.name}: running "${command}" for "${entry.title}" at ${assessment.repository.headSha?.slice(0, 7) ?? 'no commit'}`);
  let outcome: Awaited<ReturnType<typeof engine.runCommandItem>>;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${entry.title}: ${command}`, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        return engine
          .runCommandItem({
            git: watch.git(engine),
            runner: engine.createRunner(),
            cwd: watch.root,
            assessment,
            itemId,
            signal: controller.signal,
            onLine: (line) => {
              ctx.log.info(`  ${line}`);
              progress.report({ message: line.slice(0, 80) });
            },
          })
          .finally(() => sub.dispose());
      },
    );
  } catch (err) {
    notify(ctx, 'error', `Change Control: "${entry.title}" could not run: ${(err as Error).message}`);
    return 'not-run';
  } finally {
    watch.setRunning(itemId, false);
  }
  if (outcome.kind === 'cancelled') {
    notify(ctx, 'info', `Change Control: "${entry.title}" was cancelled; nothing was recorded.`);
    return 'cancelled';
  }
  if (outcome.kind === 'not-started') {
    notify(ctx, 'error', `Change Control: ${outcome.message}`);
    return 'not-run';
  }
  const { run } = outcome;
  await editEvidence(watch, (e) => engine.recordRun(e, itemId, run));
  // The engine decides whether this run completes the item (e.g. not on uncommitted changes): say so.
  const after = watch.view.assessment?.checklist.find((c) => c.id === itemId);
  if (run.exitCode === 0 && after && after.state !== 'done') notify(ctx, 'warning', `Change Control: "${entry.title}" passed, but the item stays open: ${after.why}`);
  else if (run.exitCode === 0) notify(ctx, 'info', `Change Control: "${entry.title}" passed.`);
  else notify(ctx, 'error', `Change Control: "${entry.title}" failed (exit code ${run.exitCode}).`);
  return run.exitCode === 0 ? 'passed' : 'failed';
}
