// The activation and latency benchmark (`npm run bench:activation`), measured inside the real
// extension host: code loading of dist/extension.js, activate(), and from a file save to the
// updated status bar in a repository of 3,000 files: saves of a tracked file, of new (untracked)
// files, and saves while git's state changes (a `git add` at the same moment).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, State } from '../../../src/extension/ids';
import { FIXTURE_POLICY, git, makeRepo, write } from '../fixtures';
import { changeControl, until, view } from './host';

const FILES = 3000;
const SAVES = 15;

function gitAsync(cwd: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('git', args, { cwd }, (err) => (err ? reject(err) : resolve())));
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: +at(0.5).toFixed(2), p90: +at(0.9).toFixed(2), max: +sorted[sorted.length - 1].toFixed(2), n: values.length };
}

describe('benchmark', function () {
  this.timeout(180000);

  it('code loading, activate() and save → status bar in a 3,000-file repository', async () => {
    const api = await changeControl();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const bundle = path.join(ext.extensionPath, 'dist', 'extension.js');

    // Code loading: read, compile and evaluate the bundle (what VS Code does before activate()).
    const loads: number[] = [];
    const loadsCpu: number[] = [];
    for (let i = 0; i < 20; i++) {
      delete require.cache[require.resolve(bundle)];
      const t = performance.now();
      const c = process.cpuUsage();
      require(bundle);
      loads.push(performance.now() - t);
      const d = process.cpuUsage(c);
      loadsCpu.push((d.user + d.system) / 1000);
    }

    // A mid-sized product: 3,000 files in 60 folders, a feature branch touching a few of them.
    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-')), 'product');
    const files: Record<string, string> = { '.github/change-control.yml': FIXTURE_POLICY, 'src/auth/session.ts': 'export const ttl = 1;\n' };
    for (let i = 0; i < FILES; i++) files[`src/module${i % 60}/file${i}.ts`] = `export const value${i} = ${i};\n`;
    makeRepo(root, { files, branch: 'feature/bench', branchFiles: { 'src/module1/file1.ts': 'export const value1 = 2;\n', 'src/module2/file2.ts': 'export const value2 = 3;\n' } });
    const count = Number(git(root, 'ls-files', '-z').split('\0').filter(Boolean).length);
    assert.ok(count >= FILES, `${count} files`);

    const index = vscode.workspace.workspaceFolders?.length ?? 0;
    vscode.workspace.updateWorkspaceFolders(index, 0, { uri: vscode.Uri.file(root), name: 'product' });
    await until('the product repository assessed', () => api.repositories().find((r) => r.root === root && r.state === State.assessed), 60000);

    // One save, measured: from the save event to the status bar published (shown ahead of git, or
    // by git's listing when it could not be), and to the view confirmed by git's listing.
    type Save = { shownMs: number; confirmedMs: number; ahead: boolean; assessmentMs: number };
    const measureSave = async (doc: vscode.TextDocument, text: string, meanwhile?: () => Promise<unknown>): Promise<Save> => {
      const before = api.timings().saveConfirmedMs[root];
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
      await Promise.all([doc.save(), meanwhile?.()]);
      await until('a save confirmed by git', () => {
        const v = api.timings().saveConfirmedMs[root];
        return v !== undefined && v !== before ? v : undefined;
      });
      await api.whenIdle();
      const t = api.timings();
      return { shownMs: t.saveToStatusBarMs[root]!, confirmedMs: t.saveConfirmedMs[root]!, ahead: t.saveShownAheadOfGit[root] === true, assessmentMs: view(api, root).durationMs ?? NaN };
    };
    const saves: Record<'tracked' | 'untracked' | 'gitBusy', Save[]> = { tracked: [], untracked: [], gitBusy: [] };

    // A tracked file in the auth zone, saved again and again (the first save brings it into the change).
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'src/auth/session.ts')));
    await vscode.window.showTextDocument(doc);
    for (let i = 0; i < SAVES; i++) {
      saves.tracked.push(await measureSave(doc, `export const ttl = ${i + 2};\n`));
      assert.match(api.statusBar()!.text, /Significant · auth/);
    }
    // New files, each saved for the first time (untracked).
    for (let i = 0; i < SAVES; i++) {
      const uri = vscode.Uri.file(path.join(root, `src/auth/new${i}.ts`));
      const create = new vscode.WorkspaceEdit();
      create.createFile(uri, { ignoreIfExists: true });
      await vscode.workspace.applyEdit(create);
      const created = await vscode.workspace.openTextDocument(uri);
      saves.untracked.push(await measureSave(created, `export const n${i} = ${i};\n`));
      assert.ok(view(api, root).assessment?.files.some((f) => f.path === `src/auth/new${i}.ts` && f.status === 'untracked'));
    }
    // Saves while git's state changes: a \`git add\` from a terminal at the same moment.
    await vscode.window.showTextDocument(doc);
    for (let i = 0; i < SAVES; i++) {
      write(root, `src/module3/file${3 + 60 * i}.ts`, `export const staged${i} = true;\n`);
      saves.gitBusy.push(await measureSave(doc, `export const ttl = ${i + 100};\n`, () => gitAsync(root, 'add', `src/module3/file${3 + 60 * i}.ts`)));
    }
    const all = [...saves.tracked, ...saves.untracked, ...saves.gitBusy];
    console.log(`      shown, ms: ${Object.entries(saves).map(([k, l]) => `${k} ${l.map((x) => x.shownMs.toFixed(0)).join(" ")}`).join("; ")}`);
    write(root, 'README.md', 'bench\n');
    vscode.workspace.updateWorkspaceFolders(index, 1);

    const results = {
      vscode: vscode.version,
      repositoryFiles: count,
      bundleBytes: fs.statSync(bundle).size,
      engineBytes: fs.statSync(path.join(ext.extensionPath, 'dist', 'engine.js')).size,
      codeLoadingMs: stats(loads),
      codeLoadingCpuMs: stats(loadsCpu),
      activateMs: +api.timings().activateMs.toFixed(2),
      activateCpuMs: +api.timings().activateCpuMs.toFixed(2),
      loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
      cpus: os.cpus().length,
      saveToStatusBarMs: stats(all.map((x) => x.shownMs)),
      saveConfirmedMs: stats(all.map((x) => x.confirmedMs)),
      savesShownAheadOfGit: all.filter((x) => x.ahead).length,
      saveToStatusBarByKind: Object.fromEntries(Object.entries(saves).map(([kind, list]) => [kind, stats(list.map((x) => x.shownMs))])),
      assessmentMs: stats(all.map((x) => x.assessmentMs)),
    };
    console.log(`      ${JSON.stringify(results)}`);
    const out = process.env.CHANGE_CONTROL_RESULTS;
    if (out) fs.writeFileSync(path.join(out, 'bench-activation.json'), `${JSON.stringify(results, null, 2)}\n`);
    fs.rmSync(path.dirname(root), { recursive: true, force: true });
  });
});
