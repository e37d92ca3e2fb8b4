// Owns choosing the analyser for a framework and loading the parser it needs. This module and
// everything it imports is the heavy half of migration analysis: `analyse.ts` requires it on the
// first migration only, and the build emits it as its own file (dist/migrationAnalysers.js).

import { ANALYSIS_BUDGET_MS, budget, unparsed } from './operation';
import { loadLanguage, loadPostgres } from './parsers';
import { sqlFileOperations } from './sql';
import { ectoOperations } from './ecto';
import { railsOperations } from './rails';
import { djangoOperations } from './django';
import { scriptFramework, scriptOperations } from './script';
import type { MigrationFramework, MigrationOperation } from './types';

export interface SourceAnalysis {
  framework: MigrationFramework;
  operations: MigrationOperation[];
}

/** Loads the parsers a framework's analyser uses (all frameworks may carry SQL). */
export async function loadParsersFor(framework: MigrationFramework): Promise<void> {
  if (loaded.has(framework)) return;
  const language = LANGUAGES[framework];
  await Promise.all([loadPostgres(), language ? loadLanguage(language) : undefined]);
  loaded.add(framework);
}
const loaded = new Set<MigrationFramework>();

/** The frameworks whose parsers are loaded in this process. */
export function loadedFrameworks(): MigrationFramework[] {
  return [...loaded];
}

const LANGUAGES = { ecto: 'elixir', rails: 'ruby', django: 'python', knex: 'typescript', typeorm: 'typescript', sql: undefined } as const;

/**
 * What every migration of a framework contains. A non-empty file without it is not something the
 * analyser understands (a helper, a generated stub, garbage): reported rather than passed.
 */
const SHAPES: Record<Exclude<MigrationFramework, 'sql'>, { marker: RegExp; expected: string }> = {
  ecto: { marker: /\bEcto\.Migration\b/, expected: '`use Ecto.Migration`' },
  rails: { marker: /\bMigration\b/, expected: 'a class inheriting from ActiveRecord::Migration' },
  django: { marker: /\bclass\s+Migration\b/, expected: 'a `Migration` class' },
  knex: { marker: /\bup\b/, expected: 'an `up` function' },
  typeorm: { marker: /\bup\b/, expected: 'an `up` method' },
};

export async function analyseSource(path: string, framework: MigrationFramework, content: string): Promise<SourceAnalysis> {
  const result = await analyseByFramework(path, framework, content);
  if (result.framework !== 'sql' && content.trim() !== '' && !SHAPES[result.framework].marker.test(content)) {
    result.operations.push(
      unparsed({ line: 1, direction: 'forward', source: '' }, `the file does not look like ${result.framework === 'ecto' ? 'an' : 'a'} ${result.framework} migration (no ${SHAPES[result.framework].expected} was found)`),
    );
  }
  return result;
}

async function analyseByFramework(path: string, framework: MigrationFramework, content: string): Promise<SourceAnalysis> {
  if (!loaded.has(framework)) await loadParsersFor(framework);
  // From here on the analysis is synchronous: the budget is this file's alone.
  budget.deadline = Date.now() + ANALYSIS_BUDGET_MS;
  switch (framework) {
    case 'sql':
      return { framework, operations: sqlFileOperations(content, path) };
    case 'ecto':
      return { framework, operations: ectoOperations(content) };
    case 'rails':
      return { framework, operations: railsOperations(content) };
    case 'django':
      return { framework, operations: djangoOperations(content) };
    case 'knex':
    case 'typeorm':
      return { framework: scriptFramework(content, framework), operations: scriptOperations(content) };
  }
}
