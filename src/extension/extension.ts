// Activation: wires the parts together and returns. Nothing here waits for git or loads the engine
// (dist/engine.js); the first assessment does that, after activate() has returned.
import * as vscode from 'vscode';
import { ChecklistTree } from './checklistTree';
import type { ChecklistNode } from './checklistModel';
import { notify, type CommandContext, type Notice } from './commandContext';
import { createPolicy } from './commands/createPolicy';
import { declareEmergency } from './commands/declareEmergency';
import { editChangeRecord } from './commands/editChangeRecord';
import { editChangeRecordField } from './commands/editChangeRecordField';
import { openReason } from './commands/openReason';
import { refresh } from './commands/refresh';
import { revealChecklist } from './commands/revealChecklist';
import { runChecklistCommand } from './commands/runChecklistCommand';
import { AssessmentReports, showAssessment } from './commands/showAssessment';
import { showLog } from './commands/showLog';
import { setNotifyWebhook } from './commands/setNotifyWebhook';
import { openAuditReport } from './commands/openAuditReport';
import { signOff, signOffStack } from './commands/signOff';
import { toggleAttestation } from './commands/toggleAttestation';
import { Command, OUTPUT_CHANNEL } from './ids';
import { registerPolicyCompletion } from './policyCompletion';
import { PolicyDiagnostics } from './policyDiagnostics';
import { ReasonLines } from './reasonLines';
import type { RepositoryView } from './repositoryView';
import { RiskStatusBar } from './riskStatusBar';
import { affectsSettings } from './settings';
import type { StatusPresentation } from './statusPresentation';
import { WorkspaceRepositories } from './workspaceRepositories';
import { ZoneFileDecorations } from './zoneFileDecorations';

/** What activate() returns: read-only views of what the extension shows, for tests and other extensions. */
export interface ChangeControlApi {
  repositories(): RepositoryView[];
  active(): RepositoryView | undefined;
  statusBar(): StatusPresentation | undefined;
  checklist(): readonly ChecklistNode[];
  fileDecorations(): ReadonlyMap<string, vscode.FileDecoration>;
  lineReasons(): ReadonlyMap<string, { reason: { message: string; line: number | null } }[]>;
  /** Resolves when discovery and every pending assessment have settled. */
  whenIdle(): Promise<void>;
  /** How long activate() took, and per repository the last save → status bar time (ms). */
  timings(): {
    activateMs: number;
    activateCpuMs: number;
    saveToStatusBarMs: Record<string, number | undefined>;
    /** Per repository, from the last save to the view confirmed by git's listing. */
    saveConfirmedMs: Record<string, number | undefined>;
    /** Per repository, whether the last save was shown before git listed the change again. */
    saveShownAheadOfGit: Record<string, boolean | undefined>;
  };
  /** The latest notifications the extension showed (for actions the user started), newest last. */
  notices(): readonly Notice[];
  /** Ticks or unticks an attestation, exactly as the checkbox in the tree does. */
  confirm(root: string, itemId: string, checked: boolean): Promise<void>;
  /** The migration frameworks whose parsers were loaded ahead of time for a repository (undefined until that starts). */
  migrationParsersPreloaded(root: string): Promise<string[]> | undefined;
}

export function activate(context: vscode.ExtensionContext): ChangeControlApi {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const repositories = new WorkspaceRepositories(log);
  const ctx: CommandContext = { repositories, log, notices: [], secrets: context.secrets };
  const statusBar = new RiskStatusBar(repositories);
  const tree = new ChecklistTree(repositories, (root, itemId, checked) => toggleAttestation(ctx, root, itemId, checked));
  // Editor decorations, CodeLens and diagnostics only matter once an assessment exists (git and
  // the engine take longer than this): they are set up right after activate() returns.
  let fileDecorations: ZoneFileDecorations | undefined;
  let lines: ReasonLines | undefined;
  const deferred = setImmediate(() => {
    fileDecorations = new ZoneFileDecorations(repositories);
    lines = new ReasonLines(repositories);
    context.subscriptions.push(fileDecorations, lines, new PolicyDiagnostics(repositories), registerPolicyCompletion(context.extensionPath), new AssessmentReports(repositories));
  });

  const register = (id: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        log.error(`${id} failed: ${(err as Error).stack ?? err}`);
        notify(ctx, 'error', `Change Control: ${(err as Error).message}`);
      }
    });

  context.subscriptions.push(
    log,
    repositories,
    statusBar,
    tree,
    { dispose: () => clearImmediate(deferred) },
    register(Command.signOff, (root?: unknown) => signOff(ctx, root)),
    register(Command.signOffStack, (root?: unknown) => signOffStack(ctx, root)),
    register(Command.openAuditReport, (root?: unknown) => openAuditReport(ctx, root)),
    register(Command.declareEmergency, (root?: string, reason?: string) => declareEmergency(ctx, root, reason)),
    register(Command.refresh, () => refresh(ctx)),
    register(Command.createPolicy, (root?: string, preset?: string) => createPolicy(ctx, root, preset)),
    register(Command.showAssessment, (root?: string) => showAssessment(ctx, root)),
    register(Command.editChangeRecord, (root?: string) => editChangeRecord(ctx, root)),
    register(Command.editChangeRecordField, (root?: string, field?: string, value?: string) => editChangeRecordField(ctx, root, field, value)),
    register(Command.showLog, () => showLog(ctx)),
    register(Command.setNotifyWebhook, (root?: string, target?: string, url?: string) => setNotifyWebhook(ctx, root, target, url)),
    register(Command.runChecklistCommand, (target?: unknown, itemId?: string) => runChecklistCommand(ctx, target, itemId)),
    register(Command.openReason, (root: string, path: string, line?: number) => openReason(ctx, root, path, line)),
    register(Command.revealChecklist, () => revealChecklist()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      statusBar.render();
      fileDecorations?.update();
      lines?.update(true);
      void repositories.refreshAll('settings changed');
    }),
  );
  repositories.start();
  const activateMs = performance.now() - started;
  // CPU time too: on a busy machine wall time also counts the time other processes ran.
  const cpu = process.cpuUsage(startedCpu);
  const activateCpuMs = (cpu.user + cpu.system) / 1000;
  log.info(`Activated in ${activateMs.toFixed(1)} ms (${activateCpuMs.toFixed(1)} ms CPU) (VS Code ${vscode.version}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''}).`);

  return {
    repositories: () => repositories.all().map((w) => w.view),
    active: () => repositories.active()?.view,
    statusBar: () => statusBar.presentation,
    checklist: () => tree.nodes,
    fileDecorations: () => fileDecorations?.decorated ?? new Map(),
    lineReasons: () => lines?.reasons ?? new Map(),
    whenIdle: () => repositories.whenIdle(),
    notices: () => [...ctx.notices],
    confirm: (root, itemId, checked) => toggleAttestation(ctx, root, itemId, checked),
    migrationParsersPreloaded: (root) => repositories.all().find((w) => w.root === root)?.migrationParsersPreloaded,
    timings: () => ({
      activateMs,
      activateCpuMs,
      saveToStatusBarMs: Object.fromEntries(repositories.all().map((w) => [w.root, w.lastSaveLatencyMs])),
      saveConfirmedMs: Object.fromEntries(repositories.all().map((w) => [w.root, w.lastSaveConfirmedMs])),
      saveShownAheadOfGit: Object.fromEntries(repositories.all().map((w) => [w.root, w.lastSaveShownAhead])),
    }),
  };
}

export function deactivate(): void {}
