// Owns where the policy in force comes from: the repository's policy file, a built-in preset, or
// the default preset; and loading it with as little work as a process that runs once can do.
// Presets come from JSON snapshots validated at build time (esbuild.js), and a policy file's
// validated form can come from a door's cache of it by text, so yaml and zod (./validators) are
// loaded only when policy text must really be parsed. Parsing itself is ./load's.
import { ChangeControlError } from '../errors';
import { summarizePolicyProblems } from './problems';
import { validators } from '../lazyValidators';
import type { WorkTree } from '../ports';
import { isPresetName, type PresetName } from './presets';
import type { Policy } from './schema';

/** Where the policy is looked for, in order. */
export const POLICY_FILES = [
  '.github/change-control.yml',
  '.github/change-control.yaml',
  '.change-control.yml',
  '.change-control.yaml',
] as const;

export const DEFAULT_PRESET: PresetName = 'two-tier';

/** Where the policy came from. A preset is `chosen` when the person asked for it, else it is the default for a repository without a file. */
export type PolicySource = { kind: 'file'; path: string } | { kind: 'preset'; name: PresetName; chosen?: true };

export interface LoadedPolicy {
  policy: Policy;
  source: PolicySource;
  /** Where the policy file sets `base:`, for a problem found only once the repository is read (no such branch). */
  baseAt?: { file: string; line: number; column: number };
}

/** Bytes of the policy file (LIMITS.fileBytes): a larger file is refused unread. */
export const POLICY_FILE_BYTES = 1024 * 1024;

export interface LoadPolicyOptions {
  workTree: WorkTree;
  /** A policy file given explicitly (repo-relative or absolute, as the work tree resolves it). */
  policyPath?: string;
  /** A preset given explicitly; wins over the repository's file. */
  preset?: string;
}

/**
 * The repository's policy file and its text: the explicit path, else the first of POLICY_FILES
 * that exists. Undefined when the repository has none (an explicit path that is missing throws).
 */
export async function readPolicyFile(workTree: WorkTree, policyPath?: string): Promise<{ file: string; text: string } | undefined> {
  if (policyPath !== undefined) {
    const bytes = await workTree.readFile(policyPath, { maxBytes: POLICY_FILE_BYTES });
    if (bytes === undefined) {
      throw new ChangeControlError('POLICY_NOT_FOUND', `Policy file ${policyPath} does not exist: check the path, or run \`change-control init\` to create one.`);
    }
    return { file: policyPath, text: policyText(policyPath, bytes) };
  }
  for (const file of POLICY_FILES) {
    const bytes = await workTree.readFile(file, { maxBytes: POLICY_FILE_BYTES });
    if (bytes !== undefined) return { file, text: policyText(file, bytes) };
  }
  return undefined;
}

/** The policy's text, refused (not read further) past the size limit. */
function policyText(file: string, bytes: Buffer): string {
  if (bytes.length > POLICY_FILE_BYTES) {
    const problems = [{ file, line: 0, column: 0, key: '', message: `the file is too large for a policy (limit ${POLICY_FILE_BYTES / 1024 / 1024} MiB): check that this is the policy file` }];
    throw new ChangeControlError('POLICY_INVALID', summarizePolicyProblems(problems), problems);
  }
  return bytes.toString('utf8');
}

/**
 * A door's store of validated policies, by file name and text: what a previous run validated
 * (schema, version of this build and text all the same) is used without parsing again.
 */
export interface PolicyCache {
  get(file: string, text: string): Pick<LoadedPolicy, 'policy' | 'baseAt'> | undefined;
  set(file: string, text: string, loaded: Pick<LoadedPolicy, 'policy' | 'baseAt'>): void;
}

/** The same answer as `loadPolicy` of ./load, without the parser when a snapshot or the cache has it. */
export async function loadPolicyQuickly(options: LoadPolicyOptions, cache?: PolicyCache): Promise<LoadedPolicy> {
  if (options.preset !== undefined) {
    const loaded = presetPolicy(options.preset);
    return { ...loaded, source: { ...loaded.source, chosen: true } as PolicySource };
  }
  const found = await readPolicyFile(options.workTree, options.policyPath);
  if (!found) return presetPolicy(DEFAULT_PRESET);
  const cached = cache?.get(found.file, found.text);
  if (cached) return { ...cached, source: { kind: 'file', path: found.file } };
  const loaded = validators().parsePolicyText(found.text, found.file);
  cache?.set(found.file, found.text, { policy: loaded.policy, ...(loaded.baseAt ? { baseAt: loaded.baseAt } : {}) });
  return loaded;
}

/** The built-in presets, validated at build time: JSON text by name (absent outside a bundle). */
declare const CHANGE_CONTROL_PRESET_SNAPSHOTS: string | undefined;
let snapshots: Partial<Record<PresetName, unknown>> | undefined;

/** A built-in preset: from its build-time snapshot, else parsed (and an unknown name explained) by ./load. */
export function presetPolicy(name: string): LoadedPolicy {
  if (isPresetName(name) && typeof CHANGE_CONTROL_PRESET_SNAPSHOTS === 'string') {
    snapshots ??= JSON.parse(CHANGE_CONTROL_PRESET_SNAPSHOTS) as Partial<Record<PresetName, unknown>>;
    // A copy each time: callers may keep (and the compiled-policy cache keys on) the object.
    if (snapshots[name]) return { policy: structuredClone(snapshots[name]) as Policy, source: { kind: 'preset', name } };
  }
  return validators().loadPreset(name);
}
