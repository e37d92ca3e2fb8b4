import * as vscode from 'vscode';
import { View } from '../ids';

export async function revealChecklist(): Promise<void> {
  await vscode.commands.executeCommand(`${View.checklist}.focus`);
}
