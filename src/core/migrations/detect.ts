// Owns "is this path a migration, and of which framework?". It runs on every changed path of
// every save, so it is pure, allocation-light and its matchers are compiled once.

import picomatch from 'picomatch';
import { MIGRATION_FRAMEWORKS, type MigrationFramework } from './types';

/**
 * Conventional locations. Every glob starts with `**` so monorepos (`services/api/db/migrate`)
 * and umbrella apps (`apps/x/priv/repo/migrations`) are found without configuration.
 */
const CONVENTIONAL: Record<MigrationFramework, readonly string[]> = {
  // Ecto: `priv/repo/migrations`, but apps with several repos use `priv/<repo>/migrations`.
  ecto: ['**/priv/*/migrations/*.exs'],
  // Rails: `db/migrate`, plus multi-database apps (`db/<name>_migrate`).
  rails: ['**/db/migrate/*.rb', '**/db/*_migrate/*.rb'],
  // Django numbers its migrations (`0001_initial.py`, `0042_auto_20200101_1200.py`).
  django: ['**/migrations/[0-9][0-9][0-9][0-9]_*.py'],
  sql: [
    // Flyway versioned, undo and repeatable scripts, wherever they live.
    '**/V[0-9]*__*.sql',
    '**/U[0-9]*__*.sql',
    '**/R__*.sql',
    '**/db/migration/*.sql',
    // golang-migrate (`1_x.up.sql`/`1_x.down.sql`) and the like, in any folder.
    '**/*.up.sql',
    '**/*.down.sql',
    // Prisma, Supabase, goose and hand-rolled runners.
    '**/prisma/migrations/*/migration.sql',
    '**/supabase/migrations/*.sql',
    '**/migrations/*.sql',
    '**/migrations/*/*.sql',
  ],
  // Knex and TypeORM share locations; `frameworkForScript` and the analyser tell them apart.
  knex: ['**/migrations/*.{js,ts,mjs,cjs,mts,cts}'],
  // TypeORM's default folder is the singular `src/migration`.
  typeorm: ['**/migration/*.{js,ts,mjs,cjs,mts,cts}'],
};

/** Files in a JS/TS migrations folder that are never migrations themselves. */
const NOT_A_SCRIPT_MIGRATION = picomatch(['**/index.*', '**/*.d.ts', '**/*.{test,spec}.*', '**/*.map'], { dot: true });

/** Extensions any framework can have; everything else is rejected before any glob runs. */
const CANDIDATE_EXTENSIONS = /\.(exs|rb|py|sql|[mc]?[jt]s)$/;

/** TypeORM names files `<13-digit ms timestamp>-Name.ts`; Knex uses `YYYYMMDDHHMMSS_name.js`. */
const TYPEORM_NAME = /(?:^|\/)\d{13}-[^/]+\.[jt]s$/;

type Matcher = (path: string) => boolean;
type Overrides = Partial<Record<MigrationFramework, readonly string[]>>;
type CompiledTable = ReadonlyArray<readonly [MigrationFramework, Matcher]>;

const compile = (globs: readonly string[]): Matcher => picomatch(globs as string[], { dot: true });

let conventional: CompiledTable | undefined;
const withOverrides = new WeakMap<Overrides, CompiledTable>();

function table(overrides?: Overrides): CompiledTable {
  conventional ??= MIGRATION_FRAMEWORKS.map((f) => [f, compile(CONVENTIONAL[f])] as const);
  if (!overrides || Object.keys(overrides).length === 0) return conventional;
  let compiled = withOverrides.get(overrides);
  if (!compiled) {
    // A framework the policy configures is looked for only where the policy says (an empty list
    // switches it off); configured frameworks are tried first so an override wins over another
    // framework's convention.
    const configured = MIGRATION_FRAMEWORKS.filter((f) => overrides[f] !== undefined && overrides[f]!.length > 0);
    const rest = conventional.filter(([f]) => overrides[f] === undefined);
    compiled = [...configured.map((f) => [f, compile(overrides[f]!)] as const), ...rest];
    withOverrides.set(overrides, compiled);
  }
  return compiled;
}

/**
 * The migration framework a repo-relative path belongs to, or `undefined` when it is not a
 * migration. Knex and TypeORM share folders: the path decides only when the name is TypeORM's
 * own; otherwise `knex` is returned and `analyseMigration` settles it from the content.
 */
export function migrationFrameworkFor(path: string, overrides?: Overrides): MigrationFramework | undefined {
  const normalized = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  if (!CANDIDATE_EXTENSIONS.test(normalized)) return undefined;
  for (const [framework, matches] of table(overrides)) {
    if (!matches(normalized)) continue;
    if (framework === 'knex' || framework === 'typeorm') {
      if (NOT_A_SCRIPT_MIGRATION(normalized)) continue;
      return TYPEORM_NAME.test(normalized) ? 'typeorm' : framework;
    }
    return framework;
  }
  return undefined;
}

/**
 * JS/TS migration folders are shared with ordinary modules (a `migrations/` package of a tool,
 * an app's own migration runner). A Knex, TypeORM, Sequelize or MikroORM migration always defines
 * an `up` step; a file that defines none is not a migration at all.
 */
const SCRIPT_UP_STEP = /\bexports\.up\b|\bexport\s+(?:async\s+)?function\s+up\b|\bexport\s+const\s+up\b|\basync\s+up\s*\(|\bup\s*\([^)]*queryRunner|\bup\s*:\s*(?:async\s*)?(?:function\b|\()|\bup\s*=\s*(?:async\s*)?(?:function\b|\()/;

export function isScriptFramework(framework: MigrationFramework): boolean {
  return framework === 'knex' || framework === 'typeorm';
}

export function looksLikeScriptMigration(content: string): boolean {
  return SCRIPT_UP_STEP.test(content);
}

/** The frameworks whose migrations are among these paths (in MIGRATION_FRAMEWORKS order): what to load parsers for ahead of time. */
export function migrationFrameworksIn(paths: Iterable<string>, overrides?: Overrides): MigrationFramework[] {
  const found = new Set<MigrationFramework>();
  for (const p of paths) {
    const f = migrationFrameworkFor(p, overrides);
    if (f) found.add(f);
    if (found.size === MIGRATION_FRAMEWORKS.length) break;
  }
  return MIGRATION_FRAMEWORKS.filter((f) => found.has(f));
}
