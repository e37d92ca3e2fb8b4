// Owns the assessment of a change against a policy: the one function every door calls.
// Order of work keeps git the only real cost: the change's paths first, then only the extra
// reads that a rule asks for (changed lines for content zones, migration files, attestations).
import type { Assessment, AssessedFile, Reason } from './assessment';
import { readChange, type Change, type ChangedFile, type ReadChangeOptions } from './change/change';
import { readChangedLines } from './change/changedLines';
import { parseDuration } from './checklist/duration';
import { evaluateChecklist } from './checklist/evaluate';
import { detectTestCommand } from './checklist/testCommand';
import { emptyEvidence, type Evidence, type ReviewEvidence } from './checklist/evidence';
import type { LoadedPolicy } from './policy/load';
import type { Clock, Git, Log, WorkTree } from './ports';
import { silentLog, systemClock } from './ports';
import { compilePolicy, zonesOfPath, type CompiledPolicy } from './rules/compiledPolicy';
import { inferComponents, type ComponentResolver } from './rules/components';
import { activeFreeze } from './rules/freeze';
import { applyMigrationRule } from './rules/migrationRule';

export interface AssessInput {
  git: Git;
  workTree: WorkTree;
  policy: LoadedPolicy;
  /** A ref to measure from (its merge-base with HEAD). Default: the policy's or remote's base branch. */
  base?: string;
  /** Assess this commit instead of the working tree. */
  head?: string;
  /** Repository state and base the door knows are still current (see ReadChangeOptions.known). */
  known?: ReadChangeOptions['known'];
  evidence?: Evidence;
  reviews?: ReviewEvidence;
  clock?: Clock;
  log?: Log;
  signal?: AbortSignal;
}

export async function assess(input: AssessInput): Promise<Assessment> {
  const log = input.log ?? silentLog;
  const policy = input.policy.policy;
  const compiled = compilePolicy(policy);
  const change = await readChange(input.git, { base: input.base, head: input.head, baseBranch: policy.base, known: input.known, signal: input.signal });
  return assessChange(change, compiled, input, log);
}

/** The rules over a change that was already read (the extension re-uses a change between policy edits). */
export async function assessChange(change: Change, compiled: CompiledPolicy, input: AssessInput, log: Log = silentLog): Promise<Assessment> {
  const { policy } = compiled;
  const evidence = input.evidence ?? emptyEvidence();
  const now = (input.clock ?? systemClock).now();
  const reasons: Reason[] = [];
  const notes: string[] = [];
  const levelOf = (id: string) => compiled.levelIndex.get(id) ?? 0;
  let level = 0;
  const raise = (reason: Reason) => {
    reasons.push(reason);
    level = Math.max(level, levelOf(reason.level));
  };

  // Reads that do not depend on each other start together; git and the disk work while rules run.
  const componentsP: Promise<ComponentResolver | null> = started(
    policy.components
      ? compiled.definedComponents
        ? Promise.resolve({ source: 'the policy', componentOf: (p: string) => compiled.definedComponents!.match(p)[0] })
        : policy.components.infer
          ? inferComponents(input.workTree, change.files.map((f) => f.path))
          : Promise.resolve(null)
      : Promise.resolve(null),
  );
  const autoCommandP = started(
    Object.values(policy.checklist).some((i) => i.kind === 'command' && i.run === 'auto') ? detectTestCommand(input.workTree) : Promise.resolve(undefined),
  );
  const stalenessP = started(attestationStaleness(input.git, compiled, evidence, change, input.signal));
  // Only a recorded command run needs to know about uncommitted work; `git status` is not free.
  const dirtyP = started(change.head === null && Object.keys(evidence.commands).length > 0 ? isDirty(input.git, input.signal) : Promise.resolve(false));

  // Zones by path; content-gated zones become candidates for the changed-lines pass.
  const files: AssessedFile[] = [];
  const contentCandidates = new Map<ChangedFile, string[]>();
  const zonesFired = new Set<string>();
  const componentsTouched = new Set<string>();
  for (const file of change.files) {
    const pathZones = zonesOfPath(compiled, file.path);
    if (file.oldPath) for (const z of zonesOfPath(compiled, file.oldPath)) if (!pathZones.includes(z)) pathZones.push(z);
    const zones: string[] = [];
    const candidates: string[] = [];
    for (const id of pathZones) {
      if (compiled.zones.get(id)!.content.length > 0) candidates.push(id);
      else zones.push(id);
    }
    if (candidates.length) contentCandidates.set(file, candidates);
    files.push({ path: file.path, status: file.status, ...(file.oldPath ? { oldPath: file.oldPath } : {}), zones, components: [] });
    for (const id of zones) {
      zonesFired.add(id);
      const zone = compiled.zones.get(id)!;
      const levelTitle = policy.levels[levelOf(zone.level)].title;
      raise({
        rule: 'zone',
        id,
        level: zone.level,
        path: file.path,
        line: null,
        message: `${file.path} is in the ${zone.title} zone (${id}): ${levelTitle}.`,
      });
    }
  }

  // Content patterns read only the changed lines of files in scope; migrations only the migration
  // files the change adds or modifies. Both at once.
  const [lines, migrationRule] = await Promise.all([
    contentCandidates.size > 0 ? readChangedLines(input.git, input.workTree, change.head, [...contentCandidates.keys()], input.signal) : undefined,
    policy.migrations
      ? applyMigrationRule(change, compiled, policy.migrations, (path) => readContent(input, change, path), log)
      : { analyses: [], reasons: [], beyond: false, notes: [] },
  ]);
  if (lines) {
    const byPath = new Map(files.map((f) => [f.path, f]));
    for (const [file, zoneIds] of contentCandidates) {
      const changed = lines.get(file.path) ?? (file.oldPath ? lines.get(file.oldPath) : undefined);
      if (!changed) continue;
      for (const id of zoneIds) {
        const zone = compiled.zones.get(id)!;
        const matches = (l: { text: string }) => zone.content.some((re) => re.test(l.text));
        // An added line is the clearer evidence; a removed one (a deleted check) still counts.
        const hit = changed.find((l) => l.side === 'added' && matches(l)) ?? changed.find(matches);
        if (!hit) continue;
        zonesFired.add(id);
        byPath.get(file.path)!.zones.push(id);
        const pattern = zone.content.find((re) => re.test(hit.text))!;
        const matched = pattern.exec(hit.text)?.[0] ?? '';
        raise({
          rule: 'content',
          id,
          level: zone.level,
          path: file.path,
          line: hit.line,
          message: `${file.path}:${hit.line} ${hit.side === 'added' ? 'adds' : 'removes'} \`${clip(matched)}\`, which the ${zone.title} zone (${id}) watches: ${policy.levels[levelOf(zone.level)].title}.`,
        });
      }
    }
  }

  migrationRule.reasons.forEach(raise);
  notes.push(...migrationRule.notes);
  const migrations = migrationRule.analyses;
  const migrationsBeyond = migrationRule.beyond;

  // Several components in one change.
  const components = await componentsP;
  if (components) {
    change.files.forEach((file, i) => {
      for (const p of file.oldPath ? [file.path, file.oldPath] : [file.path]) {
        const c = components.componentOf(p);
        if (c && !files[i].components.includes(c)) files[i].components.push(c);
      }
      for (const c of files[i].components) componentsTouched.add(c);
    });
  }
  if (policy.components && componentsTouched.size >= policy.components.threshold) {
    const list = [...componentsTouched].sort();
    raise({
      rule: 'components',
      id: 'components',
      level: policy.components.level,
      path: null,
      line: null,
      message: `The change touches ${list.length} components (${list.join(', ')}); ${policy.components.threshold} or more make it ${policy.levels[levelOf(policy.components.level)].title}.`,
    });
  }

  const freeze = activeFreeze(policy.freeze, now);
  if (freeze) {
    reasons.push({
      rule: 'freeze',
      id: freeze.title,
      level: policy.levels[level].id,
      path: null,
      line: null,
      message:
        freeze.mode === 'block'
          ? `${freeze.title} is in force (${freeze.from} – ${freeze.until}): no change may ship.`
          : `${freeze.title} is in force (${freeze.from} – ${freeze.until}): only the emergency path may ship.`,
    });
  }

  const zones = [...zonesFired].sort();
  const [zonesChangedSince, dirty, autoCommand] = await Promise.all([stalenessP, dirtyP, autoCommandP]);
  const checklist = evaluateChecklist({
    autoCommand,
    policy,
    levelId: policy.levels[level].id,
    zones,
    migrationsBeyond,
    evidence,
    reviews: input.reviews,
    headSha: change.head ?? change.repository.headSha,
    dirty,
    zonesChangedSince,
    freeze,
    now,
  });

  const reviewWithin = policy.emergency?.postReview?.within;
  return {
    repository: change.repository,
    base: change.base,
    head: change.head,
    policy: { source: input.policy.source, name: policy.name ?? null },
    level: { id: policy.levels[level].id, title: policy.levels[level].title, index: level },
    levels: policy.levels.map((l) => ({ id: l.id, title: l.title })),
    reasons,
    files,
    zones,
    components: [...componentsTouched].sort(),
    migrations,
    checklist,
    freeze,
    emergency: evidence.emergency
      ? {
          ...evidence.emergency,
          reviewDue: reviewWithin ? new Date(Date.parse(evidence.emergency.declaredAt) + parseDuration(reviewWithin)).toISOString() : null,
        }
      : null,
    notes,
  };
}

/** Marks a promise as observed so a failure elsewhere never leaves it unhandled; awaiting it still throws. */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

async function readContent(input: AssessInput, change: Change, path: string): Promise<Buffer | undefined> {
  if (change.head === null) return input.workTree.readFile(path);
  const out = await input.git.run(['cat-file', 'blob', `${change.head}:${path}`], { okExitCodes: [128], signal: input.signal });
  return out.exitCode === 0 ? out.stdout : undefined;
}

async function isDirty(git: Git, signal?: AbortSignal): Promise<boolean> {
  const out = await git.run(['status', '--porcelain', '-z', '--untracked-files=normal'], { signal });
  return out.stdout.length > 0;
}

/** For each attestation made at an earlier commit: the zones it covers that later commits touched. */
async function attestationStaleness(git: Git, compiled: CompiledPolicy, evidence: Evidence, change: Change, signal?: AbortSignal): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const head = change.head ?? change.repository.headSha;
  await Promise.all(
    Object.entries(evidence.attestations).map(async ([id, att]) => {
      if (att.commit === head || att.zones.length === 0 || head === null) return;
      if (att.commit === null) {
        result.set(id, att.zones);
        return;
      }
      const out = await git.run(['diff', '--name-only', '-z', att.commit, head, '--'], { okExitCodes: [128], signal });
      if (out.exitCode !== 0) {
        result.set(id, att.zones);
        return;
      }
      const touched = new Set<string>();
      for (const path of out.stdout.toString('utf8').split('\0')) {
        if (!path) continue;
        for (const z of zonesOfPath(compiled, path)) if (att.zones.includes(z)) touched.add(z);
      }
      if (touched.size) result.set(id, [...touched].sort());
    }),
  );
  return result;
}
