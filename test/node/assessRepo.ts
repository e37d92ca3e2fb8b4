// Runs the engine over a real repository the way the CLI does.
import { assess, type AssessInput } from '../../src/core/assess';
import type { Assessment } from '../../src/core/assessment';
import { loadPolicy, parsePolicyText, type LoadedPolicy } from '../../src/core/policy/load';
import { createGit } from '../../src/node/git';
import { fsWorkTree } from '../../src/node/workTree';
import { inspectRepository } from '../../src/core/change/change';

export async function assessRepo(
  cwd: string,
  options: { policyText?: string; preset?: string; now?: Date } & Partial<Pick<AssessInput, 'base' | 'head' | 'evidence' | 'known' | 'migrationParser'>> = {},
): Promise<Assessment> {
  const git = createGit(cwd);
  const repo = await inspectRepository(git);
  const workTree = fsWorkTree(repo.root);
  const policy: LoadedPolicy =
    options.policyText !== undefined ? parsePolicyText(options.policyText, 'test-policy.yml') : await loadPolicy({ workTree, preset: options.preset });
  return assess({
    git,
    workTree,
    policy,
    base: options.base,
    head: options.head,
    evidence: options.evidence,
    known: options.known,
    migrationParser: options.migrationParser,
    clock: options.now ? { now: () => options.now! } : undefined,
  });
}
