// Gathers what the engine needs, the one way every command gathers it: the repository (from
// `-C DIR` or the current folder), git and the work tree at its root, the policy in force, the
// branch's evidence, and the assessment over them.
import * as path from 'node:path';
import { assess } from '../core/assess';
import type { Assessment } from '../core/assessment';
import { inspectRepositoryAndRefs, listUntracked, type RepositoryInspection, type RepositoryState } from '../core/change/change';
import type { Evidence } from '../core/checklist/evidence';
import { ChangeControlError } from '../core/errors';
import { loadPolicyQuickly, type LoadedPolicy } from '../core/policy/source';
import type { Git, GitResult, WorkTree } from '../core/ports';
import { readEvidence } from '../node/evidenceStore';
import { createGit } from '../node/git';
import { gitDirPolicyCache } from '../node/policyCache';
import { fsWorkTree } from '../node/workTree';
import { workingDirectory } from './args';
import type { CliIo } from './io';

export interface Repository {
  /** Where the command runs (`-C DIR` applied): relative paths given to it are relative to this. */
  cwd: string;
  repo: RepositoryState;
  /** Git and the work tree at the repository's root. */
  git: Git;
  workTree: WorkTree;
  /** The state and refs read to find the repository: the first assessment does not read them again. */
  inspection?: RepositoryInspection;
}

export async function openRepository(io: CliIo, dir: unknown): Promise<Repository> {
  const cwd = workingDirectory(io, dir);
  const inspection = await inspectRepositoryAndRefs(createGit(cwd));
  const repo = inspection.repository;
  return { cwd, repo, git: createGit(repo.root), workTree: fsWorkTree(repo.root, { sync: true }), inspection };
}

export interface InputOptions {
  C?: unknown;
  policy?: unknown;
  preset?: unknown;
  base?: unknown;
  head?: unknown;
}

export interface Inputs extends Repository {
  policy: LoadedPolicy;
  evidence: Evidence;
  base?: string;
  head?: string;
  /** The untracked listing, started before anything else (see gatherInputs' `assessesWorkingTree`). */
  untracked?: Promise<GitResult>;
}

/**
 * The inputs of a command. `assessesWorkingTree`: the command goes on to assess the working tree
 * at once (`check`), so git's slowest listing, the untracked files, starts first and runs while the
 * repository is inspected and the policy loaded.
 */
export async function gatherInputs(io: CliIo, options: InputOptions, assessesWorkingTree = false): Promise<Inputs> {
  if (options.policy !== undefined && options.preset !== undefined) {
    throw new ChangeControlError('USAGE', '--policy and --preset cannot be used together: choose one.');
  }
  let untracked: Promise<GitResult> | undefined;
  if (assessesWorkingTree && options.head === undefined) {
    // Paths come out repository-relative from any folder; a failure is the inspection's to report.
    untracked = listUntracked(createGit(workingDirectory(io, options.C)));
    untracked.catch(() => undefined);
  }
  const at = await openRepository(io, options.C);
  const policyPath = typeof options.policy === 'string' ? path.resolve(at.cwd, options.policy) : undefined;
  const policy = await loadPolicyQuickly({ workTree: at.workTree, policyPath, preset: options.preset as string | undefined }, gitDirPolicyCache(at.repo));
  if (policy.source.kind === 'file' && policyPath) policy.source = { kind: 'file', path: path.relative(at.repo.root, policyPath) || policyPath };
  const { evidence, warning } = await readEvidence(at.repo);
  if (warning) io.stderr(`change-control: warning: ${warning}\n`);
  return { ...at, policy, evidence, base: options.base as string | undefined, head: options.head as string | undefined, untracked };
}

/** The engine's assessment of the gathered inputs; `evidence` replaces theirs after an edit was stored. */
export function assessInputs(inputs: Inputs, evidence: Evidence = inputs.evidence): Promise<Assessment> {
  // The inspection is of the moment the command started: good for its first assessment only.
  const { inspection, untracked } = inputs;
  inputs.inspection = undefined;
  inputs.untracked = undefined;
  return assess({ git: inputs.git, workTree: inputs.workTree, policy: inputs.policy, base: inputs.base, head: inputs.head, evidence, inspection, untracked });
}
