// Owns the components rule: which component each changed path belongs to, and the reason when a
// change touches the policy's threshold of components or more.
import type { Reason } from '../assessment';
import type { ChangedFile } from '../change/change';
import type { WorkTree } from '../ports';
import type { CompiledPolicy } from './compiledPolicy';
import { inferComponents, type ComponentResolver } from './components';
import { makeReason } from './reason';

/** How this policy finds components: its own list, inference from the layout, or not at all. */
export function resolveComponents(compiled: CompiledPolicy, workTree: WorkTree, paths: readonly string[]): Promise<ComponentResolver | null> {
  const rule = compiled.policy.components;
  if (!rule) return Promise.resolve(null);
  const defined = compiled.definedComponents;
  if (defined) return Promise.resolve({ source: 'the policy', componentOf: (p: string) => defined.match(p)[0] });
  return rule.infer ? inferComponents(workTree, paths) : Promise.resolve(null);
}

export function applyComponentRule(
  compiled: CompiledPolicy,
  resolver: ComponentResolver | null,
  files: readonly ChangedFile[],
): { byFile: string[][]; touched: string[]; reasons: Reason[] } {
  const rule = compiled.policy.components;
  const byFile = files.map((file) => {
    const out: string[] = [];
    if (resolver) {
      for (const p of file.oldPath ? [file.path, file.oldPath] : [file.path]) {
        const c = resolver.componentOf(p);
        if (c && !out.includes(c)) out.push(c);
      }
    }
    return out;
  });
  const touched = [...new Set(byFile.flat())].sort();
  const reasons: Reason[] = [];
  if (rule && touched.length >= rule.threshold) {
    reasons.push(
      makeReason(compiled, {
        rule: 'components',
        id: 'components',
        level: rule.level,
        label: `${touched.length} components`,
        path: null,
        line: null,
        message: (levelTitle) => `The change touches ${touched.length} components (${touched.join(', ')}); ${rule.threshold} or more make it ${levelTitle}.`,
      }),
    );
  }
  return { byFile, touched, reasons };
}
