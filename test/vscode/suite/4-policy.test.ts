// The policy file: errors in the Problems panel at their line, the last good policy kept in force.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command, State } from '../../../src/extension/ids';
import { FIXTURE_POLICY } from '../fixtures';
import { changeControl, editAndSave, folder, until, view } from './host';

describe('policy errors', () => {
  const policyPath = () => path.join(folder('app'), '.github/change-control.yml');

  it('shows a broken policy in Problems at its line and keeps the last good policy in force', async () => {
    const api = await changeControl();
    const root = folder('app');
    const broken = FIXTURE_POLICY.replace('    level: significant\n    paths: ["src/auth/**"]', '    level: critical\n    paths: ["src/auth/**"]');
    assert.notEqual(broken, FIXTURE_POLICY);
    await editAndSave(root, '.github/change-control.yml', broken);
    await until('policy error state', () => view(api, root).state === State.policyError);
    const diagnostics = await until('a diagnostic', () => {
      const d = vscode.languages.getDiagnostics(vscode.Uri.file(policyPath()));
      return d.length ? d : undefined;
    });
    assert.match(diagnostics[0].message, /unknown level "critical"/);
    const line = broken.split('\n').findIndex((l) => l.includes('level: critical'));
    assert.equal(diagnostics[0].range.start.line, line);
    assert.equal(diagnostics[0].source, 'Change Control');
    // The last good policy still classifies the change.
    assert.equal(view(api, root).assessment?.level.title, 'Significant');
    assert.match(api.statusBar()!.text, /Policy error · Significant/);
  });

  it('clears the problems once the file is fixed', async () => {
    const api = await changeControl();
    const root = folder('app');
    await editAndSave(root, '.github/change-control.yml', FIXTURE_POLICY);
    await until('assessed again', () => view(api, root).state === State.assessed);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(policyPath())).length, 0);
  });

  it('Create Policy writes the preset into a repository without one', async () => {
    const api = await changeControl();
    const lib = folder('lib');
    await vscode.commands.executeCommand(Command.createPolicy, lib, 'two-tier');
    assert.ok(fs.existsSync(path.join(lib, '.github/change-control.yml')));
    await until('lib uses its file', () => view(api, lib).policyFile === '.github/change-control.yml');
    assert.equal(view(api, lib).assessment?.policy.source.kind, 'file');
  });
});

describe('freeze window and emergency path', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  const policy = `version: 1
levels:
  - id: regular
    title: Regular
    checklist: [tests]
checklist:
  tests:
    kind: command
    title: Tests pass
    run: "true"
  hotfix-notes:
    kind: attestation
    title: Hotfix notes written
emergency:
  checklist: [hotfix-notes]
freeze:
  - title: Year-end freeze
    from: "${day(-1)}"
    until: "${day(1)}"
    mode: emergency-only
`;

  it('a freeze window in force shows in the status bar and gates the checklist', async () => {
    const api = await changeControl();
    const lib = folder('lib');
    await editAndSave(lib, '.github/change-control.yml', policy);
    await editAndSave(lib, 'index.js', 'module.exports = 2;\n');
    const text = await until('the freeze in the status bar', () => api.statusBar()?.text.includes('Freeze') && api.statusBar()!.text);
    assert.equal(text, '$(lock) lib: Freeze · Regular');
    assert.equal(api.statusBar()?.background, 'warning');
    const freeze = view(api, lib).assessment?.checklist.find((c) => c.id === 'freeze');
    assert.equal(freeze?.state, 'failed');
  });

  it('declaring an emergency during the freeze switches to the emergency checklist', async () => {
    const api = await changeControl();
    const lib = folder('lib');
    await vscode.commands.executeCommand(Command.declareEmergency, lib, 'Payments outage during the freeze');
    await api.whenIdle();
    const a = view(api, lib).assessment!;
    assert.deepEqual(a.checklist.map((c) => [c.id, c.state]), [
      ['freeze', 'done'],
      ['hotfix-notes', 'pending'],
    ]);
    assert.equal(api.statusBar()?.text, '$(flame) lib: Emergency · Regular');
    const nodes = api.checklist().find((n) => n.id === `${lib}|repo`)?.children ?? [];
    assert.ok(nodes.some((n) => n.label === 'Checklist · Emergency'), nodes.map((n) => n.label).join(' | '));
  });
});

describe('policy errors while typing', () => {
  it('shows a problem of the unsaved text, and the file on disk again once reverted', async () => {
    const root = folder('app');
    const uri = vscode.Uri.file(path.join(root, '.github/change-control.yml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('version:'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, doc.lineAt(line).range, 'version: 2');
    await vscode.workspace.applyEdit(edit);
    const diagnostics = await until('a live diagnostic', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    assert.equal(diagnostics[0].range.start.line, line);
    assert.match(diagnostics[0].message, /expected 1, found number 2/);
    assert.equal(diagnostics[0].code, 'version');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until('no diagnostics after the revert', () => vscode.languages.getDiagnostics(uri).length === 0);
  });
});

describe('policy completion (no YAML extension installed)', () => {
  it('completes keys and values from the schema the engine generates', async () => {
    const root = folder('app');
    const uri = vscode.Uri.file(path.join(root, '.github/change-control.yml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(doc.lineCount, 0), 'freeze:\n  - title: Holidays\n    mode: ');
    await vscode.workspace.applyEdit(edit);
    const last = doc.lineCount - 1;
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(last, doc.lineAt(last).text.length));
    const labels = values.items.filter((i) => i.detail === 'Change Control policy').map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(labels.sort(), ['block', 'emergency-only']);
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(0, 0));
    const keyLabels = keys.items.filter((i) => i.detail === 'Change Control policy').map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(keyLabels.includes('emergency') && keyLabels.includes('notify'), keyLabels.join(', '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
