// Explorer and Source Control decorations: a badge and a tooltip on changed files that sit in a
// zone raising the change above the first level.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Color, DECORATION_BADGE } from './ids';
import { readSettings } from './settings';
import type { WorkspaceRepositories } from './workspaceRepositories';

export class ZoneFileDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private decorations = new Map<string, vscode.FileDecoration>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly repositories: WorkspaceRepositories) {
    this.disposables.push(vscode.window.registerFileDecorationProvider(this), repositories.onDidChange(() => this.update()));
    this.update();
  }

  /** Decorated absolute paths (tests read them). */
  get decorated(): ReadonlyMap<string, vscode.FileDecoration> {
    return this.decorations;
  }

  update(): void {
    const next = new Map<string, vscode.FileDecoration>();
    if (readSettings().fileDecorations) {
      for (const watch of this.repositories.all()) {
        const view = watch.view;
        const a = view.assessment;
        if (!a) continue;
        for (const f of a.files) {
          if (f.zones.length === 0 || f.status === 'deleted') continue;
          if (f.level.index === 0) continue;
          const zones = f.zones.map((z) => `${a.zones.find((zone) => zone.id === z)?.title ?? z} (${z})`).join(', ');
          const d = new vscode.FileDecoration(DECORATION_BADGE, `Change Control: ${f.level.title} — in ${zones}`, new vscode.ThemeColor(Color.zoneFileForeground));
          next.set(path.join(view.root, f.path), d);
        }
      }
    }
    const touched = new Set([...this.decorations.keys(), ...next.keys()]);
    const changed = [...touched].filter((p) => {
      const a = this.decorations.get(p);
      const b = next.get(p);
      return a?.tooltip !== b?.tooltip;
    });
    this.decorations = next;
    if (changed.length) this.changed.fire(changed.map((p) => vscode.Uri.file(p)));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    return this.decorations.get(uri.fsPath);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
