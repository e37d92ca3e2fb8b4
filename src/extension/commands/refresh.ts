import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext';

export async function refresh(ctx: CommandContext): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: 'changeControl.checklist' } }, () => ctx.repositories.refreshAll('refresh command'));
}
