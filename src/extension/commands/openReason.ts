// Opens the file and line a reason points at (from the tree, the tooltip and the CodeLens).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { notify, type CommandContext } from '../commandContext';

export async function openReason(ctx: CommandContext, root: string, relativePath: string, line = 0): Promise<void> {
  const uri = vscode.Uri.file(path.join(root, relativePath));
  try {
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
  } catch {
    notify(ctx, 'warning', `Change Control: ${relativePath} cannot be opened (deleted in this change?).`);
  }
}
