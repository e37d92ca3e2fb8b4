// Owns which repositories the workspace holds (multi-root, several repositories, folders that are
// not repositories) and which one is active: the one of the active editor. Discovery and change
// events come from the built-in `vscode.git` extension when it is enabled; our own `git rev-parse`
// per workspace folder covers the rest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../core/ports';
import { loadEngine } from './engineLoader';
import { getGitApi, type GitApi, type GitRepository } from './gitExtension';
import { RepositoryWatch, type WatchContext } from './repositoryWatch';
import { readSettings } from './settings';

export class WorkspaceRepositories implements vscode.Disposable {
  private readonly watches = new Map<string, RepositoryWatch>();
  private readonly watchSubscriptions = new Map<string, vscode.Disposable>();
  private readonly gitSubscriptions = new Map<GitRepository, vscode.Disposable>();
  /** Roots the git extension reports events for. */
  private readonly gitRoots = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<RepositoryWatch | undefined>();
  /** Fires when any repository's view changes, or (with undefined) when the set or the active one changes. */
  readonly onDidChange = this.changed.event;
  private gitApi: GitApi | undefined;
  private activeRoot: string | undefined;
  private discovering: Promise<void> | undefined;
  private rediscoverAgain = false;
  /** True once the first discovery finished (until then "no repository" is not known yet). */
  discovered = false;

  private readonly context: WatchContext;

  constructor(private readonly log: Log) {
    this.context = {
      log,
      settings: (root) => readSettings(vscode.Uri.file(root)),
      trusted: () => vscode.workspace.isTrusted,
      gitEventsReliable: (root) => this.gitRoots.has(root),
    };
  }

  /** Starts discovery and listening. Returns at once; the first assessments follow. */
  start(): void {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rediscover('workspace folders changed')),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateActive()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const watch = this.watchFor(doc.uri);
        // A save is the moment the developer looks at the status bar: no debounce beyond coalescing.
        if (!watch) return;
        watch.saved(doc.uri.fsPath);
        watch.schedule('save', 0, performance.now());
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const w of this.watches.values()) {
          w.updateTrust();
          void w.refresh('workspace trusted');
        }
      }),
    );
    const policyWatcher = vscode.workspace.createFileSystemWatcher('**/{.github/change-control.yml,.github/change-control.yaml,.change-control.yml,.change-control.yaml}');
    const onPolicyFile = (uri: vscode.Uri) => this.watchFor(uri)?.schedule('policy file changed');
    this.disposables.push(policyWatcher, policyWatcher.onDidChange(onPolicyFile), policyWatcher.onDidCreate(onPolicyFile), policyWatcher.onDidDelete(onPolicyFile));
    void this.connectGit().then(() => this.rediscover('start'));
  }

  all(): RepositoryWatch[] {
    return [...this.watches.values()].sort((a, b) => a.root.localeCompare(b.root));
  }

  active(): RepositoryWatch | undefined {
    return (this.activeRoot && this.watches.get(this.activeRoot)) || this.all()[0];
  }

  /** The repository (or plain folder) a file belongs to: the deepest root containing it. */
  watchFor(uri: vscode.Uri): RepositoryWatch | undefined {
    if (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote') return undefined;
    const file = uri.fsPath;
    let best: RepositoryWatch | undefined;
    for (const w of this.watches.values()) {
      if ((file === w.root || file.startsWith(w.root + path.sep)) && (!best || w.root.length > best.root.length)) best = w;
    }
    return best;
  }

  refreshAll(reason: string): Promise<void> {
    return Promise.all(this.all().map((w) => w.refresh(reason))).then(() => undefined);
  }

  /** Resolves when discovery and every assessment have settled. */
  async whenIdle(): Promise<void> {
    while (this.discovering) await this.discovering;
    await Promise.all(this.all().map((w) => w.whenIdle()));
  }

  private async connectGit(): Promise<void> {
    this.gitApi = await getGitApi();
    if (!this.gitApi) {
      this.log.info('The built-in git extension is not available: repositories are found with git directly; changes are picked up on save and refresh.');
      return;
    }
    this.disposables.push(
      this.gitApi.onDidOpenRepository(() => this.rediscover('git opened a repository')),
      this.gitApi.onDidCloseRepository(() => this.rediscover('git closed a repository')),
      this.gitApi.onDidChangeState(() => this.rediscover('git extension ready')),
    );
  }

  /** Coalesces discovery requests: one runs at a time, and one more runs after it if asked. */
  private rediscover(reason: string): void {
    if (this.discovering) {
      this.rediscoverAgain = true;
      return;
    }
    this.discovering = this.discover(reason)
      .catch((err) => this.log.error(`Repository discovery failed: ${(err as Error).stack ?? err}`))
      .finally(() => {
        this.discovering = undefined;
        if (this.rediscoverAgain) {
          this.rediscoverAgain = false;
          this.rediscover('queued');
        }
      });
  }

  private async discover(reason: string): Promise<void> {
    const engine = loadEngine();
    const roots = new Set<string>();
    const folders = vscode.workspace.workspaceFolders ?? [];
    await Promise.all(
      folders
        .filter((f) => f.uri.scheme === 'file')
        .map(async (folder) => {
          try {
            const repo = await engine.inspectRepository(engine.createGit(folder.uri.fsPath));
            roots.add(canonical(repo.root));
          } catch {
            roots.add(folder.uri.fsPath); // not a repository: shown as such
          }
        }),
    );
    for (const repo of this.gitApi?.repositories ?? []) {
      if (repo.rootUri.scheme === 'file') roots.add(canonical(repo.rootUri.fsPath));
    }
    let changedSet = false;
    for (const [root, watch] of this.watches) {
      if (!roots.has(root)) {
        this.watchSubscriptions.get(root)?.dispose();
        this.watchSubscriptions.delete(root);
        watch.dispose();
        this.watches.delete(root);
        changedSet = true;
      }
    }
    for (const root of roots) {
      if (this.watches.has(root)) continue;
      const watch = new RepositoryWatch(root, this.context);
      this.watches.set(root, watch);
      this.watchSubscriptions.set(root, watch.onDidChange((w) => this.changed.fire(w)));
      void watch.refresh(reason);
      changedSet = true;
    }
    this.subscribeToGitRepositories();
    const first = !this.discovered;
    this.discovered = true;
    if (changedSet || first) {
      this.log.info(`Repositories (${reason}): ${this.all().map((w) => w.root).join(', ') || 'none'}`);
      this.updateActive(true);
    }
  }

  private subscribeToGitRepositories(): void {
    const current = new Set(this.gitApi?.repositories ?? []);
    for (const [repo, sub] of this.gitSubscriptions) {
      if (!current.has(repo)) {
        sub.dispose();
        this.gitSubscriptions.delete(repo);
      }
    }
    this.gitRoots.clear();
    for (const repo of current) this.gitRoots.add(canonical(repo.rootUri.fsPath));
    for (const repo of current) {
      if (this.gitSubscriptions.has(repo)) continue;
      // Commits, checkouts, staging and working-tree changes: the git extension reports them all.
      this.gitSubscriptions.set(
        repo,
        // A save is followed by one of these: it must not throw away the save's assessment.
        repo.state.onDidChange(() => this.watches.get(canonical(repo.rootUri.fsPath))?.schedule('git state changed', undefined, undefined, { afterCurrent: true })),
      );
    }
  }

  private updateActive(force = false): void {
    const editor = vscode.window.activeTextEditor;
    const fromEditor = editor ? this.watchFor(editor.document.uri) : undefined;
    // Keep the last active repository when focus moves to a file outside every repository.
    const next = fromEditor?.root ?? (this.activeRoot && this.watches.has(this.activeRoot) ? this.activeRoot : this.all()[0]?.root);
    if (next !== this.activeRoot || force) {
      this.activeRoot = next;
      this.changed.fire(undefined);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const d of this.watchSubscriptions.values()) d.dispose();
    for (const d of this.gitSubscriptions.values()) d.dispose();
    for (const w of this.watches.values()) w.dispose();
    this.watches.clear();
    this.changed.dispose();
  }
}

/** git prints real paths and the git extension may not: compare repositories by real path. */
function canonical(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}
