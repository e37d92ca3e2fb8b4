// The status bar item `changeControl.risk`: follows the active repository, and a click reveals the
// checklist. Rendering lives in statusPresentation.ts.
import * as vscode from 'vscode';
import { Command, StatusBarItem } from './ids';
import { presentStatus, type StatusPresentation } from './statusPresentation';
import type { WorkspaceRepositories } from './workspaceRepositories';
import { readSettings } from './settings';

export class RiskStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;
  private last: StatusPresentation | undefined;

  constructor(private readonly repositories: WorkspaceRepositories) {
    this.item = vscode.window.createStatusBarItem(StatusBarItem.risk, vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Change Control Risk';
    this.item.command = Command.revealChecklist;
    this.subscription = repositories.onDidChange((w) => {
      if (!w || w === repositories.active()) this.render();
    });
    this.render();
  }

  /** What the item shows now (tests read it; the DOM shows the same). */
  get presentation(): StatusPresentation | undefined {
    return this.last;
  }

  get visible(): boolean {
    return readSettings().statusBarEnabled;
  }

  render(): void {
    const active = this.repositories.active();
    const repoCount = this.repositories.all().length;
    const p = presentStatus(active?.view, { showName: repoCount > 1 });
    this.last = p;
    this.item.text = p.text;
    const tooltip = new vscode.MarkdownString(p.tooltip, true);
    tooltip.isTrusted = { enabledCommands: [Command.openReason] };
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: p.ariaLabel };
    this.item.backgroundColor = p.background ? new vscode.ThemeColor(p.background === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground') : undefined;
    // A window without any folder has nothing to classify: no item at all.
    const nothingToShow = !active && this.repositories.discovered;
    if (this.visible && !nothingToShow) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
