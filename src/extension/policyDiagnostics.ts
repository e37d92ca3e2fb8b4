// Policy errors in the Problems panel, at their line and column, for every repository: from the
// last assessment (the file on disk), and while a policy file is being edited, from its unsaved
// text (parsed by the engine as the user types, so a typo shows before the save).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PolicyProblem } from '../core/errors';
import { loadEngine } from './engineLoader';
import type { WorkspaceRepositories } from './workspaceRepositories';

const LIVE_DELAY_MS = 300;

export class PolicyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('change-control');
  private readonly disposables: vscode.Disposable[] = [];
  /** Problems of unsaved policy text, by absolute path; they win over the assessed file's. */
  private readonly live = new Map<string, PolicyProblem[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly repositories: WorkspaceRepositories) {
    this.disposables.push(
      repositories.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.isPolicyDocument(e.document)) this.scheduleLive(e.document);
      }),
      // Saved or closed: the assessment of the file on disk speaks again.
      vscode.workspace.onDidSaveTextDocument((doc) => this.dropLive(doc.uri.fsPath)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.dropLive(doc.uri.fsPath)),
    );
    this.update();
  }

  private isPolicyDocument(doc: vscode.TextDocument): boolean {
    const watch = this.repositories.watchFor(doc.uri);
    if (!watch) return false;
    const relative = path.relative(watch.root, doc.uri.fsPath).split(path.sep).join('/');
    return relative === watch.view.policyFile || loadEngine().POLICY_FILES.includes(relative as never);
  }

  private scheduleLive(doc: vscode.TextDocument): void {
    const file = doc.uri.fsPath;
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => {
        this.timers.delete(file);
        // Reverted or closed: the file on disk is what the assessment read.
        if (!doc.isDirty || doc.isClosed) {
          this.dropLive(file);
          return;
        }
        const watch = this.repositories.watchFor(doc.uri);
        const relative = watch ? path.relative(watch.root, file).split(path.sep).join('/') : path.basename(file);
        const engine = loadEngine();
        try {
          engine.parsePolicyText(doc.getText(), relative);
          this.live.set(file, []);
        } catch (err) {
          if (!engine.isChangeControlError(err)) throw err;
          this.live.set(file, err.problems.length ? [...err.problems] : [{ file: relative, line: 1, column: 1, key: '', message: err.message }]);
        }
        this.update();
      }, LIVE_DELAY_MS),
    );
  }

  private dropLive(file: string): void {
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    if (this.live.delete(file)) this.update();
  }

  update(): void {
    const byFile = new Map<string, PolicyProblem[]>();
    for (const watch of this.repositories.all()) {
      const view = watch.view;
      for (const p of view.problems) {
        const file = path.isAbsolute(p.file) ? p.file : path.join(view.root, p.file || view.policyFile || '.github/change-control.yml');
        byFile.set(file, [...(byFile.get(file) ?? []), p]);
      }
    }
    for (const [file, problems] of this.live) byFile.set(file, problems);
    this.collection.clear();
    for (const [file, problems] of byFile) {
      if (problems.length) this.collection.set(vscode.Uri.file(file), problems.map(toDiagnostic));
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.collection.dispose();
  }
}

function toDiagnostic(p: PolicyProblem): vscode.Diagnostic {
  const line = Math.max(0, p.line - 1);
  const column = Math.max(0, p.column - 1);
  const d = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1000), p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'Change Control';
  if (p.key) d.code = p.key;
  return d;
}
