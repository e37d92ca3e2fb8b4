// The whole assessment as the engine renders it for pull requests, shown rendered and read-only:
// a virtual document (never a file, never "save changes?") opened in the markdown preview.
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import { assessedRepository, type CommandContext } from '../commandContext';
import { REPORT_SCHEME } from '../ids';
import type { WorkspaceRepositories } from '../workspaceRepositories';

/** Serves `change-control-report:/<name> assessment.md?<root>` from the latest assessment of that root. */
export class AssessmentReports implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly repositories: WorkspaceRepositories) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
      // An open report follows the assessment, as the status bar does.
      repositories.onDidChange(() => {
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === REPORT_SCHEME) this.changed.fire(doc.uri);
      }),
    );
  }

  static uriFor(root: string, name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name} assessment.md`, query: root });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const a = this.repositories.all().find((w) => w.root === uri.query)?.view.assessment;
    return a ? loadEngine().toMarkdown(a) : '_This repository has not been assessed yet._\n';
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}

export async function showAssessment(ctx: CommandContext, root?: unknown): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const uri = AssessmentReports.uriFor(watch.root, watch.view.name);
  await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // No markdown preview (the built-in extension disabled): the read-only text still reads well.
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}
