// Entry point of the VS Code extension (placeholder while the harness is built).
import * as vscode from 'vscode';
import { Command, OUTPUT_CHANNEL, StatusBarItem } from './ids';

export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const item = vscode.window.createStatusBarItem(StatusBarItem.risk, vscode.StatusBarAlignment.Left, 100);
  item.name = 'Change Control';
  item.text = '$(shield) Change Control';
  item.show();
  context.subscriptions.push(log, item, vscode.commands.registerCommand(Command.showLog, () => log.show()));
  log.info('activated');
  return { statusText: () => item.text };
}

export function deactivate() {}
