// The whole assessment as the engine renders it for pull requests, in a markdown editor.
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import { assessedRepository, type CommandContext } from '../commandContext';

export async function showAssessment(ctx: CommandContext, root?: unknown): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const content = loadEngine().toMarkdown(watch.view.assessment!);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: true });
}
