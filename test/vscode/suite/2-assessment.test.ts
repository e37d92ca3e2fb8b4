// The assessment, the status bar, decorations and line reasons, as a developer edits and saves.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, State } from '../../../src/extension/ids';
import { changeControl, createUnsaved, editAndSave, folder, until, view } from './host';

/** The migration frameworks whose parsers the extension host itself has loaded (the engine module the extension uses). */
function hostParsers(): string[] {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.join(ext.extensionPath, 'dist', 'engine.js')) as { loadedMigrationFrameworks(): string[] }).loadedMigrationFrameworks();
}

describe('assessment follows the developer', () => {
  it('assesses the feature branch of a repository with a policy', async () => {
    const api = await changeControl();
    await api.whenIdle();
    const app = view(api, folder('app'));
    assert.equal(app.state, State.assessed);
    assert.equal(app.assessment?.level.title, 'Regular');
    assert.deepEqual(app.assessment?.files.map((f) => f.path), ['src/ui/button.ts']);
    assert.equal(app.assessment?.repository.branch, 'feature/tweak-button');
    assert.equal(app.policyFile, '.github/change-control.yml');
  });

  it('a repository on its base branch with no changes and no policy file: no changes, preset in force', async () => {
    const api = await changeControl();
    const lib = view(api, folder('lib'));
    assert.equal(lib.state, State.noChanges);
    assert.equal(lib.assessment?.policy.source.kind, 'preset');
  });

  it('the status bar follows the active editor across repositories', async () => {
    const api = await changeControl();
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder('lib'), 'index.js')));
    await until('status bar on lib', () => api.statusBar()?.text === '$(shield) lib: No changes');
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder('app'), 'src/ui/button.ts')));
    const text = await until('status bar on app', () => api.statusBar()?.text.includes('app: Regular') && api.statusBar()!.text);
    assert.equal(text, '$(shield) app: Regular');
    assert.equal(api.statusBar()?.background, undefined);
  });

  it('saving a change in the auth zone raises the level, the status bar and the decorations', async () => {
    const api = await changeControl();
    const root = folder('app');
    const started = Date.now();
    await editAndSave(root, 'src/auth/session.ts', 'export function session(token: string) {\n  return token.length > 8;\n}\n');
    const text = await until('Significant in the status bar', () => api.statusBar()?.text.includes('Significant') && api.statusBar()!.text);
    const elapsed = Date.now() - started;
    assert.equal(text, '$(shield) app: Significant · auth');
    assert.equal(api.statusBar()?.background, 'warning');
    assert.match(api.statusBar()!.tooltip, /Why this change is significant/);
    assert.match(api.statusBar()!.tooltip, /command:changeControl\.openReason/);
    const decoration = api.fileDecorations().get(path.join(root, 'src/auth/session.ts'));
    assert.ok(decoration, 'the auth file is decorated');
    assert.match(String(decoration.tooltip), /Significant — in Authentication \(auth\)/);
    assert.equal(api.fileDecorations().get(path.join(root, 'src/ui/button.ts')), undefined, 'files outside zones are not decorated');
    const measured = api.timings().saveToStatusBarMs[root];
    console.log(`      (save event → status bar ${measured?.toFixed(0)} ms, of which the assessment ${view(api, root).durationMs} ms; edit + save + render round trip ${elapsed} ms)`);
  });

  it('a changed line that fires a content rule gets a line reason and a CodeLens', async () => {
    const api = await changeControl();
    const root = folder('app');
    const doc = await editAndSave(
      root,
      'src/billing/invoice.ts',
      'export function total(lines: number[]) {\n  return lines.reduce((a, b) => a + b, 0);\n}\n\nexport function settle(card: { charge(n: number): void }, lines: number[]) {\n  card.charge(total(lines));\n}\n',
    );
    const reasons = await until('a line reason in invoice.ts', () => api.lineReasons().get(doc.uri.fsPath));
    assert.equal(reasons[0].reason.line, 5);
    assert.equal(view(api, root).assessment?.zones.map((z) => z.id).join(','), 'auth,payments');
    const lenses = await until('a CodeLens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l.find((x) => x.command?.title.includes('Payments (matches'));
    });
    assert.equal(lenses.range.start.line, 4);
    assert.match(lenses.command!.title, /^\$\(shield\) Significant: Payments \(matches `charge\(`\)$/);
  });

  it('loads the parsers of the migrations the repository has once it is idle, before a migration is saved', async () => {
    const api = await changeControl();
    const root = folder('app');
    const preload = await until('the preload to start', () => api.migrationParsersPreloaded(root), 10000);
    assert.deepEqual(await preload, ['sql'], 'db/migrations/0001_orders.sql is the only migration');
    assert.deepEqual(await until('lib\'s preload', () => api.migrationParsersPreloaded(folder('lib')), 10000), [], 'a repository without migrations loads no parser');
    assert.deepEqual(hostParsers(), [], 'the parsers load in a process of their own, not in the extension host');
  });

  it('a migration beyond adding and removing columns marks its line, through the real parsers', async () => {
    const api = await changeControl();
    const root = folder('app');
    const uri = vscode.Uri.file(path.join(root, 'db/migrations/0002_drop_legacy.sql'));
    const doc = await createUnsaved(uri, 'ALTER TABLE orders ADD COLUMN note text;\nDROP TABLE legacy_orders;\n');
    await doc.save();
    await vscode.window.showTextDocument(doc);
    const reasons = await until('a migration line reason', () => api.lineReasons().get(uri.fsPath), 20000);
    assert.equal(reasons[0].reason.line, 2);
    const lens = await until('the migration CodeLens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.find((x) => x.command?.title.includes('migration'));
    });
    assert.equal(lens.command?.title, '$(shield) Significant: migration drops a table — beyond adding and removing columns');
    assert.equal(lens.range.start.line, 1);
    const migration = view(api, root).assessment?.migrations.find((m) => m.path === 'db/migrations/0002_drop_legacy.sql');
    assert.equal(migration?.columnsOnly, false);
    assert.deepEqual(hostParsers(), [], 'analysed in the parser process');
  });

  it('a new file is shown the moment it is saved, ahead of git, and then confirmed by git', async () => {
    const api = await changeControl();
    const lib = folder('lib');
    const uri = vscode.Uri.file(path.join(lib, 'auth/login.js'));
    const doc = await createUnsaved(uri, 'module.exports = (user) => user.token;\n');
    await vscode.window.showTextDocument(doc);
    assert.ok(doc.isDirty, 'a save with something to write');
    const before = api.timings().saveConfirmedMs[lib];
    await doc.save();
    await until('the save confirmed by git', () => api.timings().saveConfirmedMs[lib] !== before || undefined);
    await api.whenIdle();
    assert.equal(api.timings().saveShownAheadOfGit[lib], true, 'shown before git listed the change');
    assert.ok(api.timings().saveToStatusBarMs[lib]! <= api.timings().saveConfirmedMs[lib]!);
    const confirmed = view(api, lib);
    assert.equal(confirmed.confirming, false);
    assert.deepEqual(confirmed.assessment?.files.filter((f) => f.path === 'auth/login.js').map((f) => `${f.status} ${f.zones.join()}`), ['untracked auth']);
    assert.match(api.statusBar()!.text, /lib: .* · auth/);
  });

  // Whether a git-state event can cancel a save's run is timing here (the git extension's event
  // usually comes after the run): test/unit/assessmentRuns.test.ts holds that ordering for certain.
  it('a save and a `git add` at the same moment both end up in the view', async () => {
    const api = await changeControl();
    const lib = folder('lib');
    fs.writeFileSync(path.join(lib, 'staged.txt'), 'staged\n');
    const uri = vscode.Uri.file(path.join(lib, 'index.js'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), 'module.exports = 2;\n');
    await vscode.workspace.applyEdit(edit);
    const before = api.timings().saveConfirmedMs[lib];
    await Promise.all([doc.save(), new Promise<void>((resolve, reject) => execFile('git', ['add', 'staged.txt'], { cwd: lib }, (err) => (err ? reject(err) : resolve())))]);
    await until('the save confirmed by git', () => api.timings().saveConfirmedMs[lib] !== before || undefined);
    await api.whenIdle();
    const files = view(api, lib).assessment?.files.map((f) => `${f.status} ${f.path}`) ?? [];
    assert.ok(files.includes('modified index.js'), files.join(', '));
    assert.ok(files.includes('added staged.txt'), files.join(', '));
  });

  it('a burst of saves ends with the assessment of the last one (stale runs are cancelled, never published last)', async () => {
    const api = await changeControl();
    const lib = folder('lib');
    const names = Array.from({ length: 8 }, (_, i) => `notes/burst-${i}.md`);
    for (const name of names) {
      const uri = vscode.Uri.file(path.join(lib, name));
      const edit = new vscode.WorkspaceEdit();
      edit.createFile(uri, { ignoreIfExists: true, contents: Buffer.from(`# ${name}\n`) });
      await vscode.workspace.applyEdit(edit);
      const doc = await vscode.workspace.openTextDocument(uri);
      await doc.save();
    }
    const files = await until('every burst file in the assessment', () => {
      const f = view(api, lib).assessment?.files.map((x) => x.path) ?? [];
      return names.every((n) => f.includes(n)) ? f : undefined;
    });
    await api.whenIdle();
    assert.deepEqual(view(api, lib).assessment?.files.map((x) => x.path).filter((p) => p.startsWith('notes/')).sort(), names);
    assert.equal(view(api, lib).state, State.assessed);
    assert.ok(files.length >= names.length);
  });
});
