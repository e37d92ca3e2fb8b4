// Writes a policy from a built-in preset (the same text `change-control init` writes) and opens it.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import { notify, targetRepository, type CommandContext } from '../commandContext';
import { State } from '../ids';

const PRESET_DESCRIPTIONS: Record<string, string> = {
  'two-tier': 'Regular and significant changes, with an emergency path',
  itil: 'ITIL-style standard, normal and major changes with a change record',
};

/** `preset` skips the picker (for keybindings and tests). */
export async function createPolicy(ctx: CommandContext, root?: unknown, preset?: string): Promise<void> {
  const watch = targetRepository(ctx, root);
  if (!watch || watch.view.state === State.noRepository) {
    notify(ctx, 'warning', 'Change Control: open a git repository first; the policy lives in it.');
    return;
  }
  const engine = loadEngine();
  for (const candidate of engine.POLICY_FILES) {
    const existing = path.join(watch.root, candidate);
    if (await exists(existing)) {
      await vscode.window.showTextDocument(vscode.Uri.file(existing));
      ctx.log.info(`${candidate} already exists: opened it.`);
      return;
    }
  }
  const pick = preset && engine.PRESET_NAMES.includes(preset as never) ? { label: preset } : await vscode.window.showQuickPick(
    engine.PRESET_NAMES.map((name) => ({ label: name, description: PRESET_DESCRIPTIONS[name] ?? '' })),
    { title: 'Create Policy: start from a preset', placeHolder: 'Choose the preset to start from (you can edit everything afterwards)' },
  );
  if (!pick) return;
  const target = path.join(watch.root, engine.POLICY_FILES[0]);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, engine.PRESETS[pick.label as keyof typeof engine.PRESETS], 'utf8');
  ctx.log.info(`Wrote ${engine.POLICY_FILES[0]} in ${watch.root} from the ${pick.label} preset.`);
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  await watch.refresh('policy created');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
