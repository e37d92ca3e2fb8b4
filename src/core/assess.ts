// Owns the assessment of a change against a policy: the one function every door calls. It only
// schedules the reads and assembles the value; each rule lives in rules/. Order of work keeps git
// the only real cost: the change's paths first, then only the extra reads that a rule asks for
// (changed lines for content zones, migration files, attestations).
import type { Assessment, AssessedFile } from './assessment';
import { EMPTY_TREE, isWorkingTreeDirty, readChange, ZERO_OID, type Change, type ChangedFile, type ReadChangeOptions } from './change/change';
import { readChangedLines } from './change/changedLines';
import { parseDuration } from './checklist/duration';
import { asksCodeOwners } from './checklist/approvals';
import { changeRecordFields, checklistProgress, evaluateChecklist } from './checklist/evaluate';
import { detectTestCommand } from './checklist/testCommand';
import { emptyEvidence, type Evidence } from './checklist/evidence';
import { CODEOWNERS_FILES, parseCodeOwners, type CodeOwners } from './github/codeOwners';
import type { PullRequestFacts } from './github/pullRequest';
import type { LoadedPolicy } from './policy/load';
import type { Clock, Git, Log, MigrationParser, ObjectReader, WorkTree } from './ports';
import { silentLog, systemClock } from './ports';
import { compilePolicy, zonesOfPath, type CompiledPolicy } from './rules/compiledPolicy';
import { applyComponentRule, resolveComponents } from './rules/componentRule';
import { applyContentRule } from './rules/contentRule';
import { applyFreezeRule } from './rules/freeze';
import { applyMigrationRule } from './rules/migrationRule';
import { applyZoneRule } from './rules/zoneRule';

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
  /** The repository's state and refs, as the door has just read them (see ReadChangeOptions.inspection). */
  inspection?: ReadChangeOptions['inspection'];
  /** The untracked listing, already started by the door (see ReadChangeOptions.untracked). */
  untracked?: ReadChangeOptions['untracked'];
  evidence?: Evidence;
  /** Parses migrations elsewhere than in this process (the editor: a child process; see MigrationParser). */
  migrationParser?: MigrationParser;
  /** Objects through a git that stays running (the editor's), instead of a `cat-file` process per assessment. */
  objects?: ObjectReader;
  /** The pull request's reviews and threads, read from GitHub by a door that signs off or gates. */
  pullRequest?: PullRequestFacts;
  clock?: Clock;
  log?: Log;
  signal?: AbortSignal;
}

export async function assess(input: AssessInput): Promise<Assessment> {
  const log = input.log ?? silentLog;
  const policy = input.policy.policy;
  // git lists the change while the policy compiles (globs and patterns: tens of ms for a large one).
  const changeP = started(readChange(input.git, { base: input.base, head: input.head, baseBranch: policy.base, baseBranchAt: input.policy.baseAt, known: input.known, inspection: input.inspection, untracked: input.untracked, signal: input.signal }));
  const compiled = compilePolicy(policy);
  return assessChange(await changeP, compiled, input, log);
}

/** The rules over a change that was already read (the extension re-uses a change between policy edits). */
export async function assessChange(change: Change, compiled: CompiledPolicy, input: AssessInput, log: Log = silentLog): Promise<Assessment> {
  const { policy } = compiled;
  const evidence = input.evidence ?? emptyEvidence();
  const now = (input.clock ?? systemClock).now();

  // Reads that do not depend on each other start together; git and the disk work while rules run.
  const componentsP = started(resolveComponents(compiled, input.workTree, change.files.map((f) => f.path)));
  const autoCommandP = started(
    Object.values(policy.checklist).some((i) => i.kind === 'command' && i.run === 'auto') ? detectTestCommand(input.workTree) : Promise.resolve(undefined),
  );
  const stalenessP = started(attestationStaleness(input.git, compiled, evidence, change, input.signal));
  const codeOwnersP = started(
    asksCodeOwners(policy) ? findCodeOwners(input.git, change.base.sha, input.signal) : Promise.resolve(undefined),
  );
  // Only a recorded command run needs to know about uncommitted work; `git status` is not free.
  const dirtyP = started(change.head === null && Object.keys(evidence.commands).length > 0 ? isWorkingTreeDirty(input.git, input.signal) : Promise.resolve(false));

  const zoneRule = applyZoneRule(compiled, change.files);
  const contentCandidates = zoneRule.byFile.filter((f) => f.contentCandidates.length > 0);
  // Content patterns read only the changed lines of files in scope; migrations only the migration
  // files the change adds or modifies. Both at once.
  const [lines, migrationRule] = await Promise.all([
    contentCandidates.length > 0 ? readChangedLines(input.git, input.workTree, change.head, contentCandidates.map((f) => f.file), input.signal, input.objects) : undefined,
    policy.migrations
      ? applyMigrationRule(change, compiled, policy.migrations, (file) => readContent(input, change, file), log, input.migrationParser)
      : { analyses: [], reasons: [], beyond: false, notes: [] },
  ]);
  const contentRule = lines ? applyContentRule(compiled, contentCandidates, lines) : { hits: [], reasons: [] };
  const componentRule = applyComponentRule(compiled, await componentsP, change.files);

  const reasons = [...zoneRule.reasons, ...contentRule.reasons, ...migrationRule.reasons, ...componentRule.reasons];
  const levelIndex = reasons.reduce((max, r) => Math.max(max, compiled.levelIndex.get(r.level) ?? 0), 0);
  const level = compiled.levelRefs[levelIndex];
  // No change: nothing to ship, so no checklist and no freeze to gate it (the same in every door).
  const empty = change.files.length === 0;
  const freezeRule = empty ? { freeze: null, reasons: [] } : applyFreezeRule(compiled, now, level.id);
  reasons.push(...freezeRule.reasons);

  const contentZones = new Map<string, string[]>();
  for (const hit of contentRule.hits) contentZones.set(hit.path, [...(contentZones.get(hit.path) ?? []), hit.zone]);
  const files: AssessedFile[] = zoneRule.byFile.map(({ file, zones: pathZones }, i) => {
    const zones = [...pathZones, ...(contentZones.get(file.path) ?? [])];
    const fileLevel = zones.reduce((max, z) => Math.max(max, compiled.levelIndex.get(compiled.zones.get(z)!.level) ?? 0), 0);
    return { path: file.path, ...(file.pathBytes ? { pathBytes: file.pathBytes } : {}), status: file.status, ...(file.oldPath ? { oldPath: file.oldPath } : {}), zones, components: componentRule.byFile[i], level: compiled.levelRefs[fileLevel] };
  });
  const zoneIds = [...new Set(files.flatMap((f) => f.zones))].sort();

  const [zonesChangedSince, dirty, autoCommand, codeOwners] = await Promise.all([stalenessP, dirtyP, autoCommandP, codeOwnersP]);
  const checklist = empty ? [] : evaluateChecklist({
    autoCommand,
    policy,
    levelId: level.id,
    zones: zoneIds,
    migrationsBeyond: migrationRule.beyond,
    evidence,
    pullRequest: input.pullRequest,
    files,
    headSha: change.head ?? change.repository.headSha,
    dirty,
    zonesChangedSince,
    freeze: freezeRule.freeze,
    now,
    codeOwners,
  });

  const reviewWithin = policy.emergency?.postReview?.within ?? null;
  return {
    repository: change.repository,
    base: change.base,
    head: change.head,
    policy: { source: input.policy.source, name: policy.name ?? null },
    level,
    levels: [...compiled.levelRefs],
    reasons,
    files,
    zones: zoneIds.map((id) => ({ id, title: compiled.zones.get(id)!.title, level: compiled.zones.get(id)!.level })),
    components: componentRule.touched,
    migrations: migrationRule.analyses,
    checklist,
    progress: checklistProgress(checklist),
    changeRecord: changeRecordFields(checklist),
    freeze: freezeRule.freeze,
    emergency: evidence.emergency
      ? {
          declaredAt: evidence.emergency.declaredAt,
          by: evidence.emergency.by,
          reason: evidence.emergency.reason,
          reviewDue: reviewWithin ? new Date(Date.parse(evidence.emergency.declaredAt) + parseDuration(reviewWithin)).toISOString() : null,
        }
      : null,
    signoff: evidence.signoff
      ? {
          by: evidence.signoff.by,
          at: evidence.signoff.at,
          commit: evidence.signoff.commit,
          level: evidence.signoff.level,
          emergency: evidence.signoff.emergency,
          url: evidence.signoff.url,
          current: evidence.signoff.commit === (change.head ?? change.repository.headSha),
        }
      : null,
    emergencyPath: policy.emergency ? { title: policy.emergency.title, reviewWithin } : null,
    notes: [...migrationRule.notes],
  };
}

/** CODEOWNERS by base commit: a commit's tree never changes, so the editor's saves ask git once per base. */
const codeOwnersByBase = new Map<string, CodeOwners | null>();

/** The base's CODEOWNERS (GitHub uses the base's, so a change cannot drop its own owners), or null. */
async function findCodeOwners(git: Git, baseSha: string, signal?: AbortSignal): Promise<CodeOwners | null> {
  if (baseSha === EMPTY_TREE) return null;
  const known = codeOwnersByBase.get(baseSha);
  if (known !== undefined) return known;
  const out = await git.run(['ls-tree', '-z', '--name-only', baseSha, '--', ...CODEOWNERS_FILES], { okExitCodes: [128], signal });
  // A base git cannot read (exit 128) is not remembered: the answer may come once it is fetched.
  if (out.exitCode !== 0) return null;
  const present = new Set(out.stdout.toString('utf8').split('\0').filter(Boolean));
  const file = CODEOWNERS_FILES.find((f) => present.has(f));
  let found: CodeOwners | null = null;
  if (file) {
    const blob = await git.run(['cat-file', 'blob', `${baseSha}:${file}`], { okExitCodes: [128], signal });
    if (blob.exitCode !== 0) return null;
    found = parseCodeOwners(file, blob.stdout.toString('utf8'));
  }
  if (codeOwnersByBase.size >= 64) codeOwnersByBase.delete(codeOwnersByBase.keys().next().value!);
  codeOwnersByBase.set(baseSha, found);
  return found;
}

/** Marks a promise as observed so a failure elsewhere never leaves it unhandled; awaiting it still throws. */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * A changed file's content in the change: from the work tree (by its bytes, for a name that is not
 * UTF-8), or the blob the listing named. A blob git cannot read fails closed with git's reason: a
 * migration that cannot be read must not pass for one that is not there.
 */
async function readContent(input: AssessInput, change: Change, file: ChangedFile): Promise<Buffer | undefined> {
  if (change.head === null) return input.workTree.readFile(file.path, file.pathBytes ? { pathBytes: file.pathBytes } : undefined);
  if (!file.blobs || file.blobs.newOid === ZERO_OID || file.blobs.gitlink) return undefined;
  return (await input.git.run(['cat-file', 'blob', file.blobs.newOid], { signal: input.signal })).stdout;
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
