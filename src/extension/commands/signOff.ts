// Sign-off arrives with the GitHub integration (a later issue). The command exists so its slot in
// menus and keybindings is stable; it records nothing and says so.
import { notify, type CommandContext } from '../commandContext';

export function signOff(ctx: CommandContext): void {
  notify(ctx, 'info', 'Change Control: Sign Off is not available yet — it comes with the GitHub integration in a later version. Nothing was recorded.');
}
