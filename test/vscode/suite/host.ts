// Helpers for the in-host suites: the extension's API, the fixture folders, bounded waits.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeControlApi } from '../../../src/extension/extension';
import { EXTENSION_ID } from '../../../src/extension/ids';
import type { RepositoryView } from '../../../src/extension/repositoryView';

export async function changeControl(): Promise<ChangeControlApi> {
  const ext = vscode.extensions.getExtension<ChangeControlApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function folder(name: string): string {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (!f) throw new Error(`workspace folder "${name}" is not open (fixtures: ${process.env.CHANGE_CONTROL_FIXTURES})`);
  return f.uri.fsPath;
}

export function view(api: ChangeControlApi, root: string): RepositoryView {
  const v = api.repositories().find((r) => r.root === root);
  if (!v) throw new Error(`no repository view for ${root}; have: ${api.repositories().map((r) => r.root).join(', ')}`);
  return v;
}

/** Polls until `check` returns a value that is not undefined/false; fails with the last value seen. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}

/** Creates a file in the editor with this text, not yet saved (a new file's first save then writes it). */
export async function createUnsaved(uri: vscode.Uri, text: string): Promise<vscode.TextDocument> {
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { ignoreIfExists: true });
  edit.insert(uri, new vscode.Position(0, 0), text);
  await vscode.workspace.applyEdit(edit);
  return vscode.workspace.openTextDocument(uri);
}

/** Opens a file of the workspace, replaces its text and saves it like a developer would. */
export async function editAndSave(root: string, relativePath: string, text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.file(path.join(root, relativePath));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
  return doc;
}
