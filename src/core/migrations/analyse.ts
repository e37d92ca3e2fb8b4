// Owns reading one migration file into operations of the shared vocabulary and deciding whether
// it stays within the policy's allowed operations. The parsers are heavy, so the analysers are
// loaded on the first call only; a change without migrations never pays for them.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MigrationParser } from '../ports';
import { unparsed } from './operation';
import { MIGRATION_FRAMEWORKS, type MigrationAnalysis, type MigrationFramework, type MigrationOperation, type OperationKind } from './types';

export interface MigrationInput {
  /** Repo-relative path. */
  path: string;
  framework: MigrationFramework;
  content: string;
}

/** Real migrations are kilobytes; past this the file is reported, not parsed (it could hold the editor). */
export const MAX_MIGRATION_BYTES = 2 * 1024 * 1024;

type Analysers = typeof import('./analysers');
let analysers: Analysers | undefined;

/**
 * The bundles (dist/engine.js, dist/cli.js, dist/bench.js) find the analysers as a sibling file
 * that esbuild emits separately (dist/migrationAnalysers.js, with the .wasm files beside it), so
 * no bundle carries the parsers; tests compiled to out/ find the module itself and the .wasm
 * files in node_modules. The require is computed so esbuild does not inline it.
 */
function loadAnalysers(): Analysers {
  if (!analysers) {
    const bundled = path.join(__dirname, 'migrationAnalysers.js');
    const target = fs.existsSync(bundled) ? bundled : path.join(__dirname, 'analysers');
    analysers = require(target) as Analysers;
  }
  return analysers;
}

/**
 * Loads the analysers and the parsers the given frameworks need, ahead of the first analysis
 * (a benchmark measures this; a caller may warm up). `analyseMigration` does it by itself.
 */
export async function loadMigrationParsers(frameworks: readonly MigrationFramework[] = MIGRATION_FRAMEWORKS): Promise<void> {
  const loaded = loadAnalysers();
  await Promise.all(frameworks.map((f) => loaded.loadParsersFor(f)));
}

/** The frameworks whose parsers this process has loaded (none before the analysers are). */
export function loadedMigrationFrameworks(): MigrationFramework[] {
  return analysers ? analysers.loadedFrameworks() : [];
}

/** Every forward operation is allowed; rollback code is reported but does not decide. */
export function isColumnsOnly(operations: readonly MigrationOperation[], allowed: readonly OperationKind[]): boolean {
  return operations.every((op) => op.direction === 'rollback' || allowed.includes(op.kind));
}

/** Why a file is not parsed at all, or undefined when it can be. */
function unreadable(content: string): string | undefined {
  if (typeof content !== 'string') return 'the file has no text content';
  if (content.length > MAX_MIGRATION_BYTES) {
    return `the file is ${(content.length / 1024 / 1024).toFixed(1)} MB, larger than the ${MAX_MIGRATION_BYTES / 1024 / 1024} MB the analyser reads`;
  }
  // NUL never appears in source text; it does in binary files. Bytes that are not UTF-8 arrive
  // as U+FFFD replacement characters: a few may be a stray Latin-1 comment, many are not text.
  const head = content.slice(0, 8192);
  if (head.includes('\u0000')) return 'the file is binary';
  let replaced = 0;
  for (let i = head.indexOf('\uFFFD'); i !== -1; i = head.indexOf('\uFFFD', i + 1)) replaced++;
  if (replaced > 16 || (replaced > 0 && replaced * 20 > head.length)) return 'the file is not UTF-8 text';
  return undefined;
}

/** The parsers of this process (loaded on the first call). */
export const parseInThisProcess: MigrationParser = {
  analyseSource: (path, framework, content) => loadAnalysers().analyseSource(path, framework, content),
};

/**
 * Operations of one migration file. Never throws: a file or statement that cannot be read
 * becomes a `raw_sql` operation with a note, which counts as beyond the allowed operations.
 * An empty migration (no operations) is columns-only.
 */
export async function analyseMigration(input: MigrationInput, allowed: readonly OperationKind[], parser: MigrationParser = parseInThisProcess): Promise<MigrationAnalysis> {
  let framework = input.framework;
  let operations: MigrationOperation[];
  const whole = { line: 1, direction: 'forward' as const, source: '' };
  const why = unreadable(input.content);
  if (why !== undefined) {
    operations = [unparsed(whole, why)];
  } else {
    try {
      const result = await parser.analyseSource(input.path, input.framework, input.content);
      framework = result.framework;
      operations = result.operations;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      operations = [unparsed(whole, `the migration could not be analysed (${message})`)];
    }
  }
  operations.sort((a, b) => a.line - b.line);
  return { path: input.path, framework, columnsOnly: isColumnsOnly(operations, allowed), operations };
}
