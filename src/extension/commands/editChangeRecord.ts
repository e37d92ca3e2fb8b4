// Picks a field of the change record this change's checklist asks for, and edits it.
import * as vscode from 'vscode';
import { assessedRepository, notify, type CommandContext } from '../commandContext';
import { editChangeRecordField } from './editChangeRecordField';

export async function editChangeRecord(ctx: CommandContext, root?: unknown): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const a = watch.view.assessment!;
  if (a.changeRecord.length === 0) {
    notify(ctx, 'info', `Change Control: the ${a.level.title} level asks for no change record.`);
    return;
  }
  const pick = await vscode.window.showQuickPick(
    a.changeRecord.map((f) => ({ label: f.title, description: f.value ? f.value.split('\n')[0] : 'missing', field: f.id })),
    { title: 'Edit Change Record', placeHolder: 'Choose the field to edit' },
  );
  if (pick) await editChangeRecordField(ctx, watch.root, pick.field);
}
