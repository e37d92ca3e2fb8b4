// Edits one change-record field; the engine stores it with the branch's evidence, where the CLI reads it too.
import * as vscode from 'vscode';
import { assessedRepository, editEvidence, notify, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';

/** `value` skips the input box (for keybindings and tests); an empty value clears the field. */
export async function editChangeRecordField(ctx: CommandContext, root?: unknown, field?: string, value?: string): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch || !field) return;
  const a = watch.view.assessment!;
  const current = a.changeRecord.find((f) => f.id === field);
  const title = current?.title ?? field;
  const text =
    value ??
    (await vscode.window.showInputBox({
      title: `Change record: ${title}`,
      prompt: "Stored with this branch in the repository's git directory; the CLI reads the same record.",
      value: current?.value ?? '',
      ignoreFocusOut: true,
    }));
  if (text === undefined) return;
  try {
    await editEvidence(watch, (evidence) => loadEngine().setChangeRecordField(evidence, a, field, text));
    ctx.log.info(`${watch.view.name}: change record "${field}" ${text.trim() ? 'updated' : 'cleared'}.`);
  } catch (err) {
    notify(ctx, 'error', `Change Control: the change record could not be saved: ${(err as Error).message}`);
  }
}
