// Owns which component a path belongs to: the policy's own list, else what the repository's
// layout declares (npm/pnpm/yarn workspaces, Elixir umbrella apps, Go workspaces, Cargo
// workspaces, Maven and Gradle modules), else top-level folders that hold a project.
import type { WorkTree } from '../ports';
import { globMatcher } from './globIndex';
import { validators } from '../lazyValidators';

export interface ComponentResolver {
  /** How the components were found, for messages ("npm workspaces"). */
  source: string;
  componentOf(path: string): string | undefined;
}

const PROJECT_MANIFESTS = [
  'package.json',
  'go.mod',
  'Cargo.toml',
  'mix.exs',
  'pyproject.toml',
  'setup.py',
  'requirements.txt',
  'Gemfile',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'composer.json',
];

/** Top-level folders that are never components, even with a manifest: tests, samples, vendored and built code. */
const NEVER_COMPONENTS = new Set([
  'test', 'tests', 'spec', 'specs', '__tests__', 'e2e', 'fixtures', 'examples', 'example', 'samples',
  'vendor', 'node_modules', 'build', 'dist', 'out', 'target',
]);

/** Top-level folders that belong to no project by themselves: documentation, CI, tooling, assets without a manifest. */
const NOT_PROJECT_CODE = new Set([
  ...NEVER_COMPONENTS,
  'doc', 'docs', 'documentation', 'script', 'scripts', 'tools', 'bin', 'assets', 'media', 'public', 'static', 'config', 'deploy', 'priv',
]);

/** The component of a root project that has sub-projects beside it. */
export const ROOT_COMPONENT = 'root';

/** Workspace patterns (`packages/*`) → the folder of the package containing a path. */
function workspaceResolver(source: string, patterns: readonly string[]): ComponentResolver | undefined {
  const clean = patterns.map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '')).filter((p) => p && !p.startsWith('!'));
  if (clean.length === 0) return undefined;
  const matches = globMatcher(clean);
  // `libs/**` names the packages under libs/, not libs/ itself.
  const bases = new Set(clean.filter((p) => /[*?[{]/.test(p)).map((p) => p.slice(0, p.search(/\/?[^/]*[*?[{]/))));
  const isWorkspace = (dir: string) => !bases.has(dir) && matches(dir);
  const cache = new Map<string, string | undefined>();
  return {
    source,
    componentOf(path) {
      const slash = path.lastIndexOf('/');
      if (slash < 0) return undefined;
      const dir = path.slice(0, slash);
      if (cache.has(dir)) return cache.get(dir);
      let found: string | undefined;
      let end = dir.indexOf('/');
      for (;;) {
        const candidate = end < 0 ? dir : dir.slice(0, end);
        if (isWorkspace(candidate)) {
          found = candidate;
          break;
        }
        if (end < 0) break;
        end = dir.indexOf('/', end + 1);
      }
      cache.set(dir, found);
      return found;
    },
  };
}

async function readText(workTree: WorkTree, path: string): Promise<string | undefined> {
  return (await workTree.readFile(path))?.toString('utf8');
}

/** Reads the repository's layout once per assessment (a handful of small files). */
export async function inferComponents(workTree: WorkTree, changedPaths: readonly string[]): Promise<ComponentResolver> {
  const [pkg, pnpm, lerna, mix, goWork, cargo, pom, gradle, gradleKts] = await Promise.all(
    ['package.json', 'pnpm-workspace.yaml', 'lerna.json', 'mix.exs', 'go.work', 'Cargo.toml', 'pom.xml', 'settings.gradle', 'settings.gradle.kts'].map((p) =>
      readText(workTree, p),
    ),
  );
  const patterns: { source: string; globs: string[] }[] = [];
  if (pkg) {
    try {
      const json = JSON.parse(pkg) as { workspaces?: string[] | { packages?: string[] } };
      const ws = Array.isArray(json.workspaces) ? json.workspaces : json.workspaces?.packages;
      if (ws?.length) patterns.push({ source: 'npm/yarn workspaces', globs: ws });
    } catch {
      /* a broken package.json declares no workspaces */
    }
  }
  if (pnpm) {
    try {
      const doc = validators().parseYaml(pnpm) as { packages?: string[] } | null;
      if (doc?.packages?.length) patterns.push({ source: 'pnpm workspaces', globs: doc.packages });
    } catch {
      /* ignore */
    }
  }
  if (lerna) {
    try {
      const json = JSON.parse(lerna) as { packages?: string[] };
      if (json.packages?.length) patterns.push({ source: 'lerna packages', globs: json.packages });
    } catch {
      /* ignore */
    }
  }
  if (mix) {
    const m = /apps_path:\s*"([^"]+)"/.exec(mix);
    if (m) patterns.push({ source: 'Elixir umbrella apps', globs: [`${m[1]}/*`] });
  }
  if (goWork) {
    const dirs = [...goWork.matchAll(/^\s*(?:use\s+)?(\.\/?[^\s()]*)\s*$/gm)].map((m) => m[1]).filter((d) => d !== '.' && d !== './');
    if (dirs.length) patterns.push({ source: 'Go workspace modules', globs: dirs });
  }
  if (cargo) {
    const ws = /\[workspace\][\s\S]*?members\s*=\s*\[([\s\S]*?)\]/.exec(cargo);
    if (ws) {
      const members = [...ws[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      if (members.length) patterns.push({ source: 'Cargo workspace members', globs: members });
    }
  }
  if (pom) {
    const modules = [...pom.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => m[1]);
    if (modules.length) patterns.push({ source: 'Maven modules', globs: modules });
  }
  const settings = gradle ?? gradleKts;
  if (settings) {
    const includes = [...settings.matchAll(/include\s*\(?([^\n)]*)\)?/g)].flatMap((m) => [...m[1].matchAll(/["']:?([^"']+)["']/g)].map((x) => x[1].replace(/:/g, '/')));
    if (includes.length) patterns.push({ source: 'Gradle subprojects', globs: includes });
  }
  if (patterns.length) {
    const resolver = workspaceResolver(patterns.map((p) => p.source).join(', '), patterns.flatMap((p) => p.globs));
    if (resolver) return resolver;
  }
  return topLevelResolver(workTree, changedPaths);
}

/**
 * Top-level folders that hold a project manifest of their own are components. When the root is a
 * project too, its code (everything else but the repository's own files and folders such as
 * docs, tests and CI) is one more component, `root`, in a change that touches a sub-project.
 * Without sub-projects a single project has no components: its top-level folders are parts of one thing.
 */
async function topLevelResolver(workTree: WorkTree, changedPaths: readonly string[]): Promise<ComponentResolver> {
  const folders = new Set<string>();
  for (const p of changedPaths) {
    const slash = p.indexOf('/');
    if (slash > 0) folders.add(p.slice(0, slash));
  }
  const hasManifest = (prefix: string) => Promise.all(PROJECT_MANIFESTS.map((manifest) => workTree.readFile(`${prefix}${manifest}`))).then((found) => found.some((b) => b !== undefined));
  const components = new Set<string>();
  const [rootProject] = await Promise.all([
    hasManifest(''),
    ...[...folders].map(async (folder) => {
      if (NEVER_COMPONENTS.has(folder) || folder.startsWith('.')) return;
      if (await hasManifest(`${folder}/`)) components.add(folder);
    }),
  ]);
  const rootCode = (folder: string) => rootProject && components.size > 0 && !folder.startsWith('.') && !NOT_PROJECT_CODE.has(folder);
  return {
    source: rootProject ? 'sub-projects beside the root project' : 'top-level folders with their own project',
    componentOf(path) {
      const slash = path.indexOf('/');
      if (slash <= 0) return undefined;
      const folder = path.slice(0, slash);
      if (components.has(folder)) return folder;
      return rootCode(folder) ? ROOT_COMPONENT : undefined;
    },
  };
}
