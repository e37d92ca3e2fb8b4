// Sign-off arrives with the GitHub integration (a later issue). The command exists so its slot in
// menus and keybindings is stable; it records nothing and says so.
import * as vscode from 'vscode';
import { Command } from '../ids';
import type { CommandContext } from '../commandContext';

export function signOff(ctx: CommandContext): void {
  const message = 'Change Control: Sign Off is not available yet — it comes with the GitHub integration in a later version. Nothing was recorded.';
  ctx.log.info(message);
  // Not awaited: the command is done; the toast stays until dismissed.
  void Promise.resolve(vscode.window.showInformationMessage(message, 'Show Log')).then((choice) => {
    if (choice === 'Show Log') void vscode.commands.executeCommand(Command.showLog);
  });
}
