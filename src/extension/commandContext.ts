// What every command handler gets: the repositories, the log, and the evidence edits they share.
import * as vscode from 'vscode';
import type { Evidence } from '../core/checklist/evidence';
import { loadEngine } from './engineLoader';
import { Command } from './ids';
import type { RepositoryWatch } from './repositoryWatch';
import type { WorkspaceRepositories } from './workspaceRepositories';

export interface CommandContext {
  repositories: WorkspaceRepositories;
  log: vscode.LogOutputChannel;
  /** The latest notifications shown, newest last (tests and the API read them). */
  notices: Notice[];
  /** VS Code's secret storage: the notify targets' webhook URLs, never settings or files. */
  secrets: vscode.SecretStorage;
}

/** Where a notify target's webhook URL is kept in secret storage, by the name of its secret. */
export function notifySecretKey(secret: string): string {
  return `changeControl.notify.${secret}`;
}

/** The webhook URLs the policy's notify targets name, from secret storage (missing ones are left out). */
export async function notifySecrets(ctx: CommandContext, secretNames: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of new Set(secretNames)) {
    const value = await ctx.secrets.get(notifySecretKey(name));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
}

const MAX_NOTICES = 50;

/** The repository a command acts on: the one it was invoked for, else the active one. */
export function targetRepository(ctx: CommandContext, root?: unknown): RepositoryWatch | undefined {
  if (typeof root === 'string') return ctx.repositories.all().find((w) => w.root === root);
  if (root && typeof root === 'object' && 'ref' in root) {
    const ref = (root as { ref?: { root?: string } }).ref;
    if (ref?.root) return ctx.repositories.all().find((w) => w.root === ref.root);
  }
  return ctx.repositories.active();
}

/** A repository with an assessment, or undefined after telling the user why not (they asked). */
export async function assessedRepository(ctx: CommandContext, root?: unknown): Promise<RepositoryWatch | undefined> {
  const watch = targetRepository(ctx, root);
  // Act on what the user sees; wait only when there is nothing assessed yet (start-up), or while
  // what is shown of a save is not yet confirmed by git (a moment).
  if (watch && (!watch.view.assessment || watch.view.confirming)) await watch.whenIdle();
  if (!watch?.view.assessment) {
    const why = !watch ? 'no git repository is open' : (watch.view.message ?? 'the change has not been assessed');
    notify(ctx, 'warning', `Change Control: ${why}.`);
    return undefined;
  }
  return watch;
}

/**
 * Notifications are for actions the user started; each offers the log. Not awaited: a command
 * finishes when its work is done, not when the toast is dismissed.
 */
export function notify(ctx: CommandContext, severity: 'info' | 'warning' | 'error', message: string): void {
  const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  ctx.notices.push({ severity, message });
  if (ctx.notices.length > MAX_NOTICES) ctx.notices.splice(0, ctx.notices.length - MAX_NOTICES);
  if (severity === 'error') ctx.log.error(message);
  else if (severity === 'warning') ctx.log.warn(message);
  else ctx.log.info(message);
  void Promise.resolve(show(message, 'Show Log')).then((choice) => {
    if (choice === 'Show Log') void vscode.commands.executeCommand(Command.showLog);
  });
}

/** Who is attesting: git's user.name <user.email>, exactly as the CLI records it (one function for both). */
export function whoAmI(watch: RepositoryWatch): Promise<string> {
  return loadEngine().gitIdentity(watch.git());
}

/** Reads the branch's evidence, applies `edit` (one of the engine's evidence edits), writes it back and re-assesses. */
export async function editEvidence(watch: RepositoryWatch, edit: (evidence: Evidence) => Evidence): Promise<void> {
  const repo = watch.view.assessment?.repository;
  if (!repo) throw new Error('the change has not been assessed yet');
  await loadEngine().updateEvidence(repo, edit);
  await watch.refresh('evidence recorded');
}
