// Edits one change-record field; stored with the branch's evidence, where the CLI reads it too.
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import { assessedRepository, editEvidence, notify, type CommandContext } from '../commandContext';

/** `value` skips the input box (for keybindings and tests); an empty value clears the field. */
export async function editChangeRecordField(ctx: CommandContext, root?: unknown, field?: string, value?: string): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch || !field) return;
  const title = (loadEngine().CHANGE_REQUEST_FIELDS as Record<string, string>)[field] ?? field;
  const text =
    value ??
    (await vscode.window.showInputBox({
      title: `Change record: ${title}`,
      prompt: 'Stored with this branch in the repository\'s git directory; the CLI reads the same record.',
      value: watch.view.evidence?.changeRecord[field] ?? '',
      ignoreFocusOut: true,
    }));
  if (text === undefined) return;
  try {
    await editEvidence(watch, (evidence) => {
      if (text.trim()) evidence.changeRecord[field] = text.trim();
      else delete evidence.changeRecord[field];
    });
    ctx.log.info(`${watch.view.name}: change record "${field}" ${text.trim() ? 'updated' : 'cleared'}.`);
  } catch (err) {
    notify(ctx, 'error', `Change Control: the change record could not be saved: ${(err as Error).message}`);
  }
}
