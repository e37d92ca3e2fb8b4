// Owns the compiled form of a policy: everything the per-save path needs (glob indexes, content
// expressions, level order) built once per policy, never per file.
import type { LevelRef } from '../assessment';
import type { Policy, PolicyLevel } from '../policy/schema';
import { compileContentPattern, type ContentPattern } from '../policy/contentPattern';
import { GlobIndex, globMatcher } from './globIndex';

export interface CompiledZone {
  id: string;
  title: string;
  level: string;
  exclude: ((path: string) => boolean) | null;
  content: ContentPattern[];
}

export interface CompiledPolicy {
  policy: Policy;
  levels: readonly PolicyLevel[];
  levelIndex: ReadonlyMap<string, number>;
  /** Every level as the Assessment carries it, least risky first. */
  levelRefs: readonly LevelRef[];
  zones: ReadonlyMap<string, CompiledZone>;
  zonePaths: GlobIndex<string>;
  definedComponents: GlobIndex<string> | null;
}

const cache = new WeakMap<Policy, CompiledPolicy>();

export function compilePolicy(policy: Policy): CompiledPolicy {
  const cached = cache.get(policy);
  if (cached) return cached;
  const zones = new Map<string, CompiledZone>();
  const zoneGlobs: { glob: string; value: string }[] = [];
  for (const [id, zone] of Object.entries(policy.zones)) {
    zones.set(id, {
      id,
      title: zone.title,
      level: zone.level,
      exclude: zone.exclude.length ? globMatcher(zone.exclude) : null,
      content: zone.content.map((p) => compileContentPattern(p, zone.ignoreCase)),
    });
    for (const glob of zone.paths) zoneGlobs.push({ glob, value: id });
  }
  const define = policy.components?.define ?? {};
  const componentGlobs = Object.entries(define).flatMap(([id, globs]) => globs.map((glob) => ({ glob, value: id })));
  const compiled: CompiledPolicy = {
    policy,
    levels: policy.levels,
    levelIndex: new Map(policy.levels.map((l, i) => [l.id, i])),
    levelRefs: policy.levels.map((l, index) => ({ id: l.id, title: l.title, index })),
    zones,
    zonePaths: new GlobIndex(zoneGlobs),
    definedComponents: componentGlobs.length ? new GlobIndex(componentGlobs) : null,
  };
  cache.set(policy, compiled);
  return compiled;
}

/** The zones a path is in by its path alone (content-gated zones included as candidates). */
export function zonesOfPath(compiled: CompiledPolicy, path: string): string[] {
  const ids = compiled.zonePaths.match(path);
  if (ids.length === 0) return ids;
  return ids.filter((id) => {
    const exclude = compiled.zones.get(id)!.exclude;
    return !exclude || !exclude(path);
  });
}

/** A level by id (an unknown id, which validation rules out, reads as the first level). */
export function levelRef(compiled: CompiledPolicy, id: string): LevelRef {
  return compiled.levelRefs[compiled.levelIndex.get(id) ?? 0];
}
