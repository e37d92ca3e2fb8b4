// Runs a checklist command item (a test suite) from the tree, with progress and cancel, and records
// the result with the commit it ran at. Never in an untrusted workspace: the command comes from the
// repository's policy, so running it would run the repository's code.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { assessedRepository, editEvidence, notify, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';

export async function runChecklistCommand(ctx: CommandContext, target?: unknown, itemIdArg?: string): Promise<void> {
  const itemId = itemIdArg ?? (target && typeof target === 'object' && 'ref' in target ? (target as { ref?: { itemId?: string } }).ref?.itemId : undefined);
  const watch = await assessedRepository(ctx, target);
  if (!watch || !itemId) return;
  const item = watch.view.policy?.policy.checklist[itemId];
  if (item?.kind !== 'command') {
    notify(ctx, 'warning', `Change Control: "${itemId}" is not a command item of the policy.`);
    return;
  }
  if (!vscode.workspace.isTrusted) {
    ctx.log.warn(`Not running "${item.run}" for "${item.title}": the workspace is not trusted.`);
    void Promise.resolve(
      vscode.window.showWarningMessage(
        `Change Control does not run the policy's commands in an untrusted workspace ("${item.title}": ${item.run}).`,
        'Manage Workspace Trust',
        'Show Log',
      ),
    ).then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
      if (choice === 'Show Log') ctx.log.show(true);
    });
    return;
  }
  if (watch.view.running.has(itemId)) return;
  const engine = loadEngine();
  const command = item.run === 'auto' ? await engine.detectTestCommand(engine.fsWorkTree(watch.root)) : item.run;
  if (!command) {
    notify(ctx, 'warning', `Change Control: "${item.title}" says \`run: auto\`, but no test command was recognised in ${watch.root}: set \`run:\` in the policy.`);
    return;
  }
  const dirtyBefore = (await watch.git().run(['status', '--porcelain', '-z', '--untracked-files=normal'])).stdout.length > 0;
  const commit = watch.view.assessment!.repository.headSha;
  watch.setRunning(itemId, true);
  ctx.log.info(`${watch.view.name}: running "${command}" for "${item.title}" at ${commit?.slice(0, 7) ?? 'no commit'}${dirtyBefore ? ' (with uncommitted changes)' : ''}`);
  let result: { exitCode: number | null; cancelled: boolean };
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${item.title}: ${command}`, cancellable: true },
      (progress, token) => runShell(command, watch.root, token, (line) => {
        ctx.log.info(`  ${line}`);
        progress.report({ message: line.slice(0, 80) });
      }),
    );
  } finally {
    watch.setRunning(itemId, false);
  }
  if (result.cancelled) {
    notify(ctx, 'info', `Change Control: "${item.title}" was cancelled; nothing was recorded.`);
    return;
  }
  await editEvidence(watch, (e) => {
    e.commands[itemId] = { exitCode: result.exitCode, at: new Date().toISOString(), commit, dirty: dirtyBefore, command };
  });
  // The engine decides whether this run completes the item (e.g. not on uncommitted changes): say so.
  const entry = watch.view.assessment?.checklist.find((c) => c.id === itemId);
  if (result.exitCode === 0 && entry && entry.state !== 'done') notify(ctx, 'warning', `Change Control: "${item.title}" passed, but the item stays open: ${entry.why}`);
  else if (result.exitCode === 0) notify(ctx, 'info', `Change Control: "${item.title}" passed.`);
  else notify(ctx, 'error', `Change Control: "${item.title}" failed (exit code ${result.exitCode}).`);
}

function runShell(command: string, cwd: string, token: vscode.CancellationToken, onLine: (line: string) => void): Promise<{ exitCode: number | null; cancelled: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, { cwd, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: process.env.CI ?? '1' } });
    let cancelled = false;
    let pending = '';
    const onData = (b: Buffer) => {
      pending += b.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const sub = token.onCancellationRequested(() => {
      cancelled = true;
      try {
        if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill();
      } catch {
        /* already gone */
      }
    });
    child.on('error', (err) => {
      onLine(`could not start: ${err.message}`);
    });
    child.on('close', (code) => {
      sub.dispose();
      if (pending) onLine(pending);
      resolve({ exitCode: code, cancelled });
    });
  });
}
