// Policy errors in the Problems panel, at their line and column, for every repository.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceRepositories } from './workspaceRepositories';

export class PolicyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('change-control');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly repositories: WorkspaceRepositories) {
    this.subscription = repositories.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const watch of this.repositories.all()) {
      const view = watch.view;
      for (const p of view.problems) {
        const file = path.isAbsolute(p.file) ? p.file : path.join(view.root, p.file || view.policyFile || '.github/change-control.yml');
        const line = Math.max(0, p.line - 1);
        const column = Math.max(0, p.column - 1);
        const d = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1000), p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'Change Control';
        if (p.key) d.code = p.key;
        const list = byFile.get(file) ?? [];
        list.push(d);
        byFile.set(file, list);
      }
    }
    this.collection.clear();
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
