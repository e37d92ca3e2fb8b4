// Owns choosing the analyser for a framework and loading the parser it needs. This module and
// everything it imports is the heavy half of migration analysis: `analyse.ts` requires it on the
// first migration only, and the build emits it as its own file (dist/migrationAnalysers.js).

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
  const language = LANGUAGES[framework];
  await Promise.all([loadPostgres(), language ? loadLanguage(language) : undefined]);
}

const LANGUAGES = { ecto: 'elixir', rails: 'ruby', django: 'python', knex: 'typescript', typeorm: 'typescript', sql: undefined } as const;

export async function analyseSource(path: string, framework: MigrationFramework, content: string): Promise<SourceAnalysis> {
  await loadParsersFor(framework);
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
