// The checklist tree: reasons, items with states, the change record, attestations and staleness.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChecklistNode } from '../../../src/extension/checklistModel';
import { Command } from '../../../src/extension/ids';
import { git } from '../fixtures';
import { changeControl, editAndSave, folder, until, view } from './host';

function section(nodes: readonly ChecklistNode[], root: string, prefix: string): ChecklistNode {
  const repo = nodes.find((n) => n.id === `${root}|repo`);
  const s = repo?.children?.find((c) => c.label.startsWith(prefix));
  if (!s) throw new Error(`no "${prefix}" section; have: ${repo?.children?.map((c) => c.label).join(' | ')}`);
  return s;
}

function item(nodes: readonly ChecklistNode[], root: string, id: string): ChecklistNode {
  const found = section(nodes, root, 'Checklist').children?.find((c) => c.ref?.itemId === id);
  if (!found) throw new Error(`no checklist item ${id}`);
  return found;
}

describe('the checklist view', () => {
  it('shows why the change is significant, each reason opening its file at its line', async () => {
    const api = await changeControl();
    await api.whenIdle();
    const root = folder('app');
    const why = section(api.checklist(), root, 'Why ');
    assert.equal(why.label, 'Why Significant');
    const labels = why.children!.map((c) => c.label);
    assert.ok(labels.includes('src/auth/session.ts'), labels.join(' | '));
    assert.ok(labels.includes('src/billing/invoice.ts:5'), labels.join(' | '));
    const content = why.children!.find((c) => c.label === 'src/billing/invoice.ts:5')!;
    assert.deepEqual(content.command?.arguments, [root, 'src/billing/invoice.ts', 5]);
    await vscode.commands.executeCommand(content.command!.command, ...content.command!.arguments!);
    const editor = vscode.window.activeTextEditor!;
    assert.ok(editor.document.uri.fsPath.endsWith('invoice.ts'));
    assert.equal(editor.selection.active.line, 4);
  });

  it('lists the checklist of the level with states and the change record fields', async () => {
    const api = await changeControl();
    const root = folder('app');
    const checklist = section(api.checklist(), root, 'Checklist');
    assert.equal(checklist.label, 'Checklist · Significant');
    assert.deepEqual(checklist.children!.map((c) => c.ref?.itemId), ['tests', 'e2e-local', 'record', 'signoff', 'load-test']);
    assert.match(item(api.checklist(), root, 'load-test').description!, /optional/);
    assert.equal(item(api.checklist(), root, 'e2e-local').checkbox, false);
    assert.equal(item(api.checklist(), root, 'tests').contextValue, 'command');
    const record = section(api.checklist(), root, 'Change record');
    assert.deepEqual(record.children!.map((c) => c.label), ['Description of the change', 'Deployment plan', 'Rollback plan', 'Risk assessment']);
  });

  it('edits the change record; the item completes when every field is filled in', async () => {
    const api = await changeControl();
    const root = folder('app');
    const fields = { description: 'Longer tokens', 'deployment-plan': 'Normal deploy', 'rollback-plan': 'Revert the commit', 'risk-assessment': 'Low' };
    for (const [field, value] of Object.entries(fields)) {
      await vscode.commands.executeCommand(Command.editChangeRecordField, root, field, value);
    }
    await api.whenIdle();
    assert.equal(view(api, root).assessment?.checklist.find((c) => c.id === 'record')?.state, 'done');
    assert.equal(section(api.checklist(), root, 'Change record').description, '0 missing');
  });

  it('runs a command item and records the result with its commit', async () => {
    const api = await changeControl();
    const root = folder('app');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'auth and billing work');
    await vscode.commands.executeCommand(Command.refresh);
    await vscode.commands.executeCommand(Command.runChecklistCommand, root, 'tests');
    await api.whenIdle();
    const tests = view(api, root).assessment?.checklist.find((c) => c.id === 'tests');
    assert.equal(tests?.state, 'done', tests?.why);
    const head = git(root, 'rev-parse', 'HEAD');
    assert.equal(view(api, root).evidence?.commands.tests.commit, head);
  });

  it('an attestation ticked at one commit goes stale when a later commit touches its zone', async () => {
    const api = await changeControl();
    const root = folder('app');
    await api.confirm(root, 'e2e-local', true);
    await api.whenIdle();
    assert.equal(item(api.checklist(), root, 'e2e-local').checkbox, true);
    assert.equal(view(api, root).assessment?.checklist.find((c) => c.id === 'e2e-local')?.state, 'done');

    await editAndSave(root, 'src/auth/session.ts', 'export function session(token: string) {\n  return token.length > 12;\n}\n');
    git(root, 'commit', '-qam', 'tighten tokens');
    await vscode.commands.executeCommand(Command.refresh);
    const entry = await until('a stale attestation', () => {
      const e = view(api, root).assessment?.checklist.find((c) => c.id === 'e2e-local');
      return e?.stale ? e : undefined;
    });
    assert.match(entry.why, /later changes touched auth/);
    const node = item(api.checklist(), root, 'e2e-local');
    assert.equal(node.checkbox, false);
    assert.equal(node.description, 'stale');
  });
});
