// Picks a change-record field the policy asks for and edits it.
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import { assessedRepository, notify, type CommandContext } from '../commandContext';
import { editChangeRecordField } from './editChangeRecordField';

export async function editChangeRecord(ctx: CommandContext, root?: unknown): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const view = watch.view;
  const fields: string[] = [];
  for (const entry of view.assessment!.checklist) {
    const item = view.policy?.policy.checklist[entry.id];
    if (item?.kind === 'change-request') for (const f of item.fields) if (!fields.includes(f)) fields.push(f);
  }
  if (fields.length === 0) {
    notify(ctx, 'info', `Change Control: the ${view.assessment!.level.title} level asks for no change record.`);
    return;
  }
  const titles = loadEngine().CHANGE_REQUEST_FIELDS as Record<string, string>;
  const pick = await vscode.window.showQuickPick(
    fields.map((f) => {
      const value = (view.evidence?.changeRecord[f] ?? '').trim();
      return { label: titles[f] ?? f, description: value ? value.split('\n')[0] : 'missing', field: f };
    }),
    { title: 'Edit Change Record', placeHolder: 'Choose the field to edit' },
  );
  if (pick) await editChangeRecordField(ctx, watch.root, pick.field);
}
