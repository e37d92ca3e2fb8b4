// In the editor: the changed lines that fired a content rule or a migration operation beyond the
// allowed ones get a highlight (with the reason on hover) and a CodeLens naming the reason.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Reason } from '../core/assessment';
import { Color, Command } from './ids';
import { readSettings } from './settings';
import type { WorkspaceRepositories } from './workspaceRepositories';

const LINE_RULES = new Set<Reason['rule']>(['content', 'migration']);

export interface LineReason {
  root: string;
  reason: Reason;
}

export class ReasonLines implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly decorationType: vscode.TextEditorDecorationType;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private byFile = new Map<string, LineReason[]>();
  private lastKey = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly repositories: WorkspaceRepositories) {
    this.decorationType = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(Color.reasonLineBackground),
      overviewRulerColor: new vscode.ThemeColor(Color.reasonLineBorder),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      borderColor: new vscode.ThemeColor(Color.reasonLineBorder),
      borderStyle: 'solid',
      borderWidth: '0 0 0 2px',
    });
    this.disposables.push(
      this.decorationType,
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      repositories.onDidChange(() => this.update()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateVisible()),
    );
    this.update();
  }

  /** Reasons with a line, by absolute file path (tests read them). */
  get reasons(): ReadonlyMap<string, LineReason[]> {
    return this.byFile;
  }

  /** `force`: redraw even when the reasons did not change (a setting did). */
  update(force = false): void {
    const next = new Map<string, LineReason[]>();
    for (const watch of this.repositories.all()) {
      const a = watch.view.assessment;
      if (!a) continue;
      for (const reason of a.reasons) {
        if (!reason.path || !reason.line || !LINE_RULES.has(reason.rule)) continue;
        const file = path.join(watch.root, reason.path);
        const list = next.get(file) ?? [];
        list.push({ root: watch.root, reason });
        next.set(file, list);
      }
    }
    // Most re-assessments change nothing here: redraw only when the line reasons moved.
    const key = JSON.stringify([...next].map(([f, rs]) => [f, rs.map((r) => [r.reason.line, r.reason.message, r.reason.levelTitle, r.reason.label])]));
    if (key === this.lastKey && !force) return;
    this.lastKey = key;
    this.byFile = next;
    this.decorateVisible();
    this.lensesChanged.fire();
  }

  private decorateVisible(): void {
    const enabled = readSettings().lineDecorations;
    for (const editor of vscode.window.visibleTextEditors) {
      const reasons = enabled ? (this.byFile.get(editor.document.uri.fsPath) ?? []) : [];
      editor.setDecorations(
        this.decorationType,
        reasons
          .filter((r) => r.reason.line! <= editor.document.lineCount)
          .map((r) => ({ range: editor.document.lineAt(r.reason.line! - 1).range, hoverMessage: new vscode.MarkdownString(`**Change Control · ${r.reason.levelTitle}**\n\n${r.reason.message}`) })),
      );
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSettings(document.uri).codeLens) return [];
    const reasons = this.byFile.get(document.uri.fsPath) ?? [];
    return reasons
      .filter((r) => r.reason.line! <= document.lineCount)
      .map((r) => {
        const range = document.lineAt(r.reason.line! - 1).range;
        // Content: the zone and what matched; migrations: the operation and why it counts.
        const what = r.reason.rule === 'migration' ? `migration ${r.reason.label}` : r.reason.label;
        return new vscode.CodeLens(range, { title: `$(shield) ${r.reason.levelTitle}: ${what}`, tooltip: r.reason.message, command: Command.revealChecklist, arguments: [] });
      });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.lensesChanged.dispose();
  }
}
