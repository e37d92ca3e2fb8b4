// The sidebar tree `changeControl.checklist`: renders checklistModel nodes, manages the attestation
// checkboxes itself (a tick is recorded as evidence with the commit it was made at), shows the
// number of open required items as the view's badge and says why when the workspace is untrusted.
import * as vscode from 'vscode';
import { ContextKey, State, View } from './ids';
import { buildChecklistTree, openRequiredCount, type ChecklistNode } from './checklistModel';
import type { WorkspaceRepositories } from './workspaceRepositories';

export type AttestationToggle = (root: string, itemId: string, checked: boolean) => Promise<void>;

export class ChecklistTree implements vscode.TreeDataProvider<ChecklistNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ChecklistNode[] = [];
  private lastKey = '';
  private readonly parents = new Map<string, ChecklistNode | undefined>();
  readonly view: vscode.TreeView<ChecklistNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly repositories: WorkspaceRepositories,
    private readonly onToggle: AttestationToggle,
  ) {
    this.view = vscode.window.createTreeView(View.checklist, { treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.view.onDidChangeCheckboxState((e) => {
        for (const [node, state] of e.items) {
          if (node.ref?.itemId) void this.onToggle(node.ref.root, node.ref.itemId, state === vscode.TreeItemCheckboxState.Checked);
        }
      }),
      repositories.onDidChange(() => this.rebuild()),
    );
    this.rebuild();
  }

  /** The nodes shown now (tests read them). */
  get nodes(): readonly ChecklistNode[] {
    return this.roots;
  }

  rebuild(): void {
    const watches = this.repositories.all();
    const active = this.repositories.active();
    const roots = buildChecklistTree(
      watches.map((w) => w.view),
      { activeRoot: active?.root },
    );
    // Most re-assessments change nothing the tree shows: re-render only when it does (a
    // re-render under the pointer would swallow a click).
    const key = JSON.stringify(roots);
    const changed = key !== this.lastKey;
    this.lastKey = key;
    this.roots = roots;
    this.parents.clear();
    const index = (nodes: ChecklistNode[], parent: ChecklistNode | undefined) => {
      for (const n of nodes) {
        this.parents.set(n.id, parent);
        if (n.children) index(n.children, n);
      }
    };
    index(this.roots, undefined);

    const view = active?.view;
    const state = !this.repositories.discovered ? State.starting : watches.length === 0 ? State.noFolder : (view?.state ?? State.starting);
    void vscode.commands.executeCommand('setContext', ContextKey.state, state);
    void vscode.commands.executeCommand('setContext', ContextKey.level, view?.assessment?.level.id ?? '');
    void vscode.commands.executeCommand('setContext', ContextKey.emergency, Boolean(view?.assessment?.emergency));
    void vscode.commands.executeCommand('setContext', ContextKey.hasPolicyFile, Boolean(view?.policyFile));
    const open = openRequiredCount(view);
    this.view.badge = open > 0 ? { value: open, tooltip: `${open} required checklist item${open === 1 ? '' : 's'} open` } : undefined;
    this.view.message = view && !view.trusted ? 'This workspace is not trusted: Change Control shows the checklist but never runs the commands the policy names.' : undefined;
    this.view.description = watches.length > 1 && view ? view.name : undefined;
    if (changed) this.changed.fire();
  }

  getChildren(node?: ChecklistNode): ChecklistNode[] {
    return node ? (node.children ?? []) : this.roots;
  }

  getParent(node: ChecklistNode): ChecklistNode | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: ChecklistNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children ? (node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = node.description;
    if (node.tooltip) item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.checkbox !== undefined) item.checkboxState = node.checkbox ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    item.contextValue = node.contextValue;
    if (node.command) item.command = node.command;
    else if (node.link) item.command = { command: 'vscode.open', title: 'Open Change Record', arguments: [vscode.Uri.parse(node.link)] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
