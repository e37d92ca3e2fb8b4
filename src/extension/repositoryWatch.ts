// Keeps one repository's assessment current: debounces triggers, cancels a stale run when a newer
// one starts, keeps the last good policy while the file is broken, and publishes a RepositoryView.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Change } from '../core/change/change';
import type { PersistentObjects } from '../node/catFileBatch';
import type { MigrationProcess } from '../node/migrationProcess';
import type { SavesAheadOfGit } from '../core/change/afterSave';
import type { ChangeControlError } from '../core/errors';
import type { Git, Log } from '../core/ports';
import type { LoadedPolicy } from '../core/policy/load';
import type { CompiledPolicy } from '../core/rules/compiledPolicy';
import { AssessmentRuns, type RunOptions } from './assessmentRuns';
import { loadEngine, type EngineModule } from './engineLoader';
import { State } from './ids';
import type { RepositoryView } from './repositoryView';
import { NO_FETCHING, untrustedGit } from '../node/untrustedGit';
import type { Settings } from './settings';

export interface WatchContext {
  log: Log;
  settings(root: string): Settings;
  trusted(): boolean;
  /** Whether the built-in git extension reports commits, checkouts and fetches for this repository. */
  gitEventsReliable(root: string): boolean;
}

interface PolicyCache {
  key: string;
  loaded: LoadedPolicy;
  compiled: CompiledPolicy;
}

/** How long after the first assessment the migration parsers start loading: the editor is busy starting up before that. */
const MIGRATION_PRELOAD_DELAY_MS = 1500;

export class RepositoryWatch implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RepositoryWatch>();
  readonly onDidChange = this.changed.event;
  private current: RepositoryView;
  private readonly runs = new AssessmentRuns((reason, triggeredAt, signal, current) => this.assess(reason, signal, current, triggeredAt));
  private policyCache: PolicyCache | undefined;
  private lastGood: PolicyCache | undefined;
  private readonly runningItems = new Set<string>();
  private lastChange: { change: Change; baseBranch: string | undefined } | undefined;
  /** Files saved since git last listed the change: the next assessment shows them at once. */
  private saves: SavesAheadOfGit | undefined;
  /** A git that stays running to read objects, so that a save needs no new process (see ObjectReader). */
  private persistentObjects: PersistentObjects | undefined;
  private objectsWarm = false;
  /** Parses migrations in a child process, so that the extension host does not carry the parsers (see MigrationProcess). */
  private migrationProcess: MigrationProcess | undefined;
  /** The policy and base of the last assessment: what a sign-off assesses again, fresh. */
  private lastPolicy: { loaded: LoadedPolicy; baseBranch: string | undefined; clean: boolean } | undefined;

  constructor(
    /** The repository root, or a workspace folder that is not inside a repository. */
    readonly root: string,
    private readonly context: WatchContext,
  ) {
    this.current = {
      root,
      name: path.basename(root),
      state: State.starting,
      problems: [],
      usingLastGoodPolicy: false,
      trusted: context.trusted(),
      running: this.runningItems,
    };
  }

  get view(): RepositoryView {
    return this.current;
  }

  /** The policy in force and the base branch the view was assessed with; `clean` when the file has no problems. */
  get assessedWith(): { loaded: LoadedPolicy; baseBranch: string | undefined; clean: boolean } | undefined {
    return this.lastPolicy;
  }

  /**
   * Assess after the configured quiet period; a newer trigger restarts the wait. With
   * `afterCurrent` (git's own state events, which follow every save) an assessment already running,
   * or a save about to run, is not cancelled: it is published, then this one runs.
   */
  schedule(reason: string, delayMs = this.context.settings(this.root).debounceMs, triggeredAt?: number, options: RunOptions = {}): void {
    this.runs.schedule(reason, delayMs, triggeredAt, options);
  }

  /**
   * The migration parsers of the frameworks this repository has, loaded once the editor is idle
   * after the first assessment — so that the first save of a migration does not pay for them (a
   * parser takes hundreds of ms to load). Resolves with the frameworks loaded.
   */
  private migrationParsers: Promise<string[]> | undefined;

  get migrationParsersPreloaded(): Promise<string[]> | undefined {
    return this.migrationParsers;
  }

  private async preloadMigrationParsers(engine: EngineModule, git: Git, overrides: Parameters<EngineModule['migrationFrameworksIn']>[1]): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, MIGRATION_PRELOAD_DELAY_MS));
    try {
      const started = performance.now();
      const listed = await git.run(['ls-files', '-z']);
      const frameworks = engine.migrationFrameworksIn(listed.stdout.toString('utf8').split('\0'), overrides);
      if (frameworks.length === 0) return [];
      await this.migrationParser(engine).load(frameworks);
      this.context.log.info(`${this.current.name}: migration parsers loaded ahead of the first migration (${frameworks.join(', ')}) in ${Math.round(performance.now() - started)} ms, in a process of their own.`);
      return frameworks;
    } catch (err) {
      // Only a head start: the first migration loads what it needs anyway.
      this.context.log.warn(`${this.current.name}: could not load the migration parsers ahead of time: ${(err as Error).message}`);
      return [];
    }
  }

  private migrationParser(engine: EngineModule): MigrationProcess {
    return (this.migrationProcess ??= new engine.MigrationProcess());
  }

  /** From the last save to the published view (the status bar renders synchronously on publish). */
  get lastSaveLatencyMs(): number | undefined {
    return this.saveLatency;
  }
  private saveLatency: number | undefined;

  /** From the last save to the view confirmed by git's listing (the same as above when nothing was shown ahead of git). */
  get lastSaveConfirmedMs(): number | undefined {
    return this.saveConfirmed;
  }
  private saveConfirmed: number | undefined;

  /** Whether the last save was shown before git listed the change again (see changeAfterSaves). */
  get lastSaveShownAhead(): boolean | undefined {
    return this.saveShownAhead;
  }
  private saveShownAhead: boolean | undefined;

  /** A file of this repository was saved: the next assessment shows it before git lists it. */
  saved(file: string): void {
    const relative = path.relative(this.root, file);
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return;
    (this.saves ??= new (loadEngine().SavesAheadOfGit)()).save(relative.split(path.sep).join('/'));
  }

  /** Assess now, cancelling a run still in progress unless `afterCurrent` (see AssessmentRuns.refresh). */
  refresh(reason: string, triggeredAt?: number, options: RunOptions = {}): Promise<void> {
    return this.runs.refresh(reason, triggeredAt, options);
  }

  /** Resolves when no assessment is waiting or running (tests and commands use it). */
  whenIdle(): Promise<void> {
    return this.runs.whenIdle();
  }

  setRunning(itemId: string, running: boolean): void {
    if (running) this.runningItems.add(itemId);
    else this.runningItems.delete(itemId);
    this.publish({ ...this.current, running: this.runningItems });
  }

  /** Re-publishes with the current trust (the workspace was just trusted). */
  updateTrust(): void {
    // The object reader started with the restrictions of an untrusted workspace: the next read starts a new one.
    this.persistentObjects?.close();
    this.persistentObjects = undefined;
    this.objectsWarm = false;
    this.publish({ ...this.current, trusted: this.context.trusted() });
  }

  /** A Git port for this repository. Untrusted: git may not run any program the repository configures. */
  git(engine: EngineModule = loadEngine()): Git {
    const git = engine.createGit(this.root);
    return this.context.trusted() ? git : untrustedGit(git);
  }

  private publish(view: RepositoryView): void {
    this.current = view;
    this.changed.fire(this);
  }

  private async assess(reason: string, signal: AbortSignal, current: () => boolean, triggeredAt?: number): Promise<void> {
    const { log } = this.context;
    const started = performance.now();
    const base: RepositoryView = {
      ...this.current,
      trusted: this.context.trusted(),
      running: this.runningItems,
      message: undefined,
      confirming: false,
    };
    let engine: EngineModule;
    try {
      engine = loadEngine();
    } catch (err) {
      log.error(`The engine could not be loaded: ${(err as Error).stack ?? err}`);
      this.publish({ ...base, state: State.failed, message: 'The Change Control engine could not be loaded: see the log.' });
      return;
    }
    const settings = this.context.settings(this.root);
    const git = this.git(engine);
    const workTree = engine.fsWorkTree(this.root);
    this.persistentObjects ??= new engine.PersistentObjects(this.root, this.context.trusted() ? [] : NO_FETCHING);
    const objects = this.persistentObjects;
    try {
      // The policy file is small and read on every save: at once, not behind the editor's other
      // file reads in Node's thread pool (that wait was most of a save's time on a busy host).
      const policy = await this.policy(engine, settings, engine.fsWorkTree(this.root, { sync: true }));
      if (!current()) return;
      if (!policy.inForce) {
        this.publish({ ...base, state: State.policyError, assessment: undefined, policyFile: policy.file, problems: policy.problems, usingLastGoodPolicy: false, message: policy.message });
        return;
      }
      const { loaded, compiled } = policy.inForce;
      const baseBranch = settings.baseBranch || loaded.policy.base;
      this.lastPolicy = { loaded, baseBranch, clean: policy.problems.length === 0 };
      // A save changes files, never HEAD or the base: when git's own events tell us about commits
      // and checkouts, a save only re-lists the changed files (the engine's floor: two git calls).
      const last = this.lastChange;
      const reuse = reason === 'save' && last && last.baseBranch === baseBranch && this.context.gitEventsReliable(this.root) ? last.change : undefined;
      let shownAhead = false;
      /** Assesses and publishes one change; false when a newer run took over meanwhile. */
      const publishAssessment = async (change: Change, confirming: boolean): Promise<boolean> => {
        const { evidence, warning } = await engine.readEvidence(change.repository);
        if (warning && !confirming) log.warn(warning);
        const migrationParser = loaded.policy.migrations ? this.migrationParser(engine) : undefined;
        const assessment = await engine.assessChange(change, compiled, { git, workTree, objects, migrationParser, policy: loaded, evidence, log, signal }, log);
        if (!current()) return false;
        const durationMs = Math.round(performance.now() - started);
        const state = policy.problems.length ? State.policyError : change.files.length === 0 ? State.noChanges : State.assessed;
        this.publish({
          ...base,
          root: this.root,
          state,
          assessment,
          evidence,
          policyFile: policy.file,
          problems: policy.problems,
          usingLastGoodPolicy: policy.problems.length > 0,
          durationMs,
          confirming,
        });
        if (triggeredAt !== undefined) {
          const latency = performance.now() - triggeredAt;
          if (!shownAhead) this.saveLatency = latency;
          if (!confirming) this.saveConfirmed = latency;
          this.saveShownAhead = shownAhead || confirming;
        }
        shownAhead ||= confirming;
        log.info(
          `${this.current.name}: ${engine.headline(assessment)}, ${assessment.files.length} file(s) changed since ${assessment.base.ref}, ${assessment.reasons.length} reason(s) — ${durationMs} ms after ${reason}${confirming ? ' (the saved files; git confirms next)' : ''}`,
        );
        return true;
      };
      // The files just saved are shown at once, on top of git's last listing; git's listing follows.
      const saves = (this.saves ??= new engine.SavesAheadOfGit());
      const pending = saves.pending();
      const ahead = reuse ? await saves.changeNow(reuse, { objects, workTree }).catch(() => undefined) : undefined;
      if (ahead) {
        try {
          if (!(await publishAssessment(ahead, true))) return;
        } catch (err) {
          if (!current()) return;
          // Only a head start: git's listing below decides, and reports what is wrong.
          log.debug(`${this.current.name}: the saved files could not be shown ahead of git: ${(err as Error).message}`);
        }
      }
      // A base named by the policy (not the setting) is reported at its line in the policy file.
      const baseBranchAt = settings.baseBranch ? undefined : loaded.baseAt;
      const change = await engine.readChange(git, { baseBranch, baseBranchAt, signal, known: reuse ? { repository: reuse.repository, base: reuse.base } : undefined });
      this.lastChange = { change, baseBranch };
      saves.listed(pending, reuse && ahead ? { before: reuse, after: ahead } : undefined, change);
      if (!(await publishAssessment(change, false))) return;
      // The first save then need not wait for git to start: it reads the base's version of the file.
      if (!this.objectsWarm) {
        this.objectsWarm = true;
        void objects.info('HEAD').catch(() => undefined);
      }
      if (loaded.policy.migrations && !this.migrationParsers) this.migrationParsers = this.preloadMigrationParsers(engine, git, loaded.policy.migrations.paths);
    } catch (err) {
      if (!current() || (err as Error).name === 'AbortError') return;
      if (engine.isChangeControlError(err) && err.code === 'NOT_A_REPOSITORY') {
        this.publish({ ...base, state: State.noRepository, assessment: undefined, message: err.message, problems: [] });
        return;
      }
      const message = engine.isChangeControlError(err) ? err.message : `Unexpected error: ${(err as Error).message}`;
      log.error(`${this.current.name}: ${message}${engine.isChangeControlError(err) ? '' : `\n${(err as Error).stack}`}`);
      this.publish({ ...base, state: State.failed, message });
    }
  }

  /**
   * The policy in force and the problems of the file on disk. A broken file keeps the last good
   * policy in force, so a typo does not make the checklist vanish.
   */
  private async policy(
    engine: EngineModule,
    settings: Settings,
    workTree: { readFile(p: string): Promise<Buffer | undefined> },
  ): Promise<{ inForce?: PolicyCache; problems: ChangeControlError['problems']; file?: string; message?: string }> {
    let file: string | undefined;
    let text: string | undefined;
    if (settings.policyFile) {
      file = settings.policyFile;
      text = (await workTree.readFile(file))?.toString('utf8');
      if (text === undefined) {
        const message = `The policy file ${file} (setting changeControl.policyFile) does not exist.`;
        return { inForce: this.lastGood, problems: [{ file, line: 0, column: 0, key: '', message }], file, message };
      }
    } else {
      ({ file, text } = (await engine.readPolicyFile(workTree)) ?? {});
    }
    const key = file !== undefined ? `file:${file}\0${text}` : `preset:${settings.preset}`;
    if (this.policyCache?.key === key) return { inForce: this.policyCache, problems: [], file };
    try {
      const loaded =
        file !== undefined ? engine.parsePolicyText(text ?? '', file) : await engine.loadPolicy({ workTree, preset: settings.preset || undefined });
      const cache = { key, loaded, compiled: engine.compilePolicy(loaded.policy) };
      this.policyCache = cache;
      this.lastGood = cache;
      return { inForce: cache, problems: [], file };
    } catch (err) {
      if (!engine.isChangeControlError(err)) throw err;
      this.policyCache = undefined;
      const problems = err.problems.length ? err.problems : [{ file: file ?? '', line: 1, column: 1, key: '', message: err.message }];
      this.context.log.warn(`${this.current.name}: ${err.message}${this.lastGood ? ' — the last good policy stays in force.' : ''}`);
      return { inForce: this.lastGood, problems, file, message: err.message };
    }
  }

  dispose(): void {
    this.persistentObjects?.close();
    this.migrationProcess?.close();
    this.runs.dispose();
    this.changed.dispose();
  }
}
