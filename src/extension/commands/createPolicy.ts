// Writes a policy from a built-in preset (the same text `change-control init` writes) and opens it.
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import { notify, targetRepository, type CommandContext } from '../commandContext';
import { State } from '../ids';

/** `preset` skips the picker (for keybindings and tests). */
export async function createPolicy(ctx: CommandContext, root?: unknown, preset?: string): Promise<void> {
  const watch = targetRepository(ctx, root);
  if (!watch || watch.view.state === State.noRepository) {
    notify(ctx, 'warning', 'Change Control: open a git repository first; the policy lives in it.');
    return;
  }
  const engine = loadEngine();
  const existing = await engine.findPolicyFile(watch.root);
  if (existing) {
    await vscode.window.showTextDocument(vscode.Uri.file(existing));
    ctx.log.info(`${existing} already exists: opened it.`);
    return;
  }
  const pick =
    preset && engine.PRESET_NAMES.includes(preset as never)
      ? { label: preset }
      : await vscode.window.showQuickPick(
          engine.PRESET_NAMES.map((name) => ({ label: name, description: engine.PRESET_DESCRIPTIONS[name] })),
          { title: 'Create Policy: start from a preset', placeHolder: 'Choose the preset to start from (you can edit everything afterwards)' },
        );
  if (!pick) return;
  const target = await engine.writePresetPolicy(watch.root, pick.label as (typeof engine.PRESET_NAMES)[number]);
  ctx.log.info(`Wrote ${target} from the ${pick.label} preset.`);
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  await watch.refresh('policy created');
}
