// The remaining commands, run as a user would from the palette.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, REPORT_SCHEME } from '../../../src/extension/ids';
import { changeControl, folder, until, view } from './host';

describe('commands', () => {
  it('Show Assessment opens the engine’s markdown report rendered and read-only, never as an unsaved file', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(`${folder('app')}/src/ui/button.ts`));
    const untitledBefore = vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;
    await vscode.commands.executeCommand(Command.showAssessment);
    const doc = await until('the report document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === REPORT_SCHEME && d.uri.query === folder('app')));
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /### Change Control: \*\*Significant\*\*/);
    assert.equal(doc.isDirty, false);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, untitledBefore, 'no untitled document that asks to be saved');
    const preview = await until('the markdown preview tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /Preview app assessment/.test(t.label)),
    );
    assert.ok(preview.isActive, `the preview is shown: ${preview.label}`);
  });

  it('Sign Off fails closed when it cannot tell the GitHub repository, says how to name it, and records nothing', async () => {
    const api = await changeControl();
    const before = JSON.stringify(view(api, folder('app')).evidence);
    const shown = api.notices().length;
    await vscode.commands.executeCommand(Command.signOff);
    await api.whenIdle();
    assert.deepEqual(api.notices().slice(shown), [
      {
        severity: 'error',
        message:
          'Change Control: not signed off: This repository has no remote: push it to GitHub (git remote add origin …), or name the repository with --repo OWNER/NAME (editor: the changeControl.github.repository setting).',
      },
    ]);
    assert.equal(JSON.stringify(view(api, folder('app')).evidence), before);
  });

  it('Declare Emergency records who and why; the status bar shows it', async () => {
    const api = await changeControl();
    const root = folder('app');
    await vscode.commands.executeCommand(Command.declareEmergency, root, 'Checkout is down for EU customers');
    await api.whenIdle();
    const e = view(api, root).assessment?.emergency;
    assert.equal(e?.reason, 'Checkout is down for EU customers');
    assert.equal(e?.by, 'Dana Developer <dana@example.com>');
    const text = await until('emergency in the status bar', () => api.statusBar()?.text.includes('Emergency') && api.statusBar()!.text);
    assert.match(text, /^\$\(flame\) app: Emergency · Significant/);
    assert.equal(api.statusBar()?.background, 'error');
  });

  it('Show Log runs without a failure; Refresh assesses every repository again', async () => {
    const api = await changeControl();
    const shown = api.notices().length;
    await vscode.commands.executeCommand(Command.showLog);
    const before = view(api, folder('app')).assessment;
    await vscode.commands.executeCommand(Command.refresh);
    await api.whenIdle();
    assert.notEqual(view(api, folder('app')).assessment, before, 'Refresh published a new assessment');
    assert.deepEqual(api.notices().slice(shown), [], 'neither command failed (a failing handler shows an error notice)');
  });
});

describe('settings', () => {
  it('changeControl.codeLens and changeControl.decorations.files switch their markers off and on', async () => {
    const api = await changeControl();
    const root = folder('app');
    const invoice = vscode.Uri.file(`${root}/src/billing/invoice.ts`);
    const ours = async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', invoice)).filter((l) => l.command?.title.includes('Payments (matches'));
    assert.equal((await ours()).length, 1);
    const config = vscode.workspace.getConfiguration('changeControl');
    await config.update('codeLens', false, vscode.ConfigurationTarget.Workspace);
    await config.update('decorations.files', false, vscode.ConfigurationTarget.Workspace);
    try {
      await until('no CodeLens', async () => (await ours()).length === 0);
      await until('no file decorations', () => api.fileDecorations().size === 0);
    } finally {
      await config.update('codeLens', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('decorations.files', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('the CodeLens back', async () => (await ours()).length === 1);
    await until('decorations back', () => api.fileDecorations().size > 0);
  });
});
