// Shared by the migration tests: reading fixtures and summarising analyses into lines that
// read like the migration ("12 change_column_type orders.total").

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyseMigration } from '../../../src/core/migrations/analyse';
import type { MigrationAnalysis, MigrationFramework, MigrationOperation, OperationKind } from '../../../src/core/migrations/types';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'migrations');
export const COLUMNS: readonly OperationKind[] = ['add_column', 'remove_column'];

export function fixture(relative: string): string {
  return readFileSync(path.join(FIXTURES, relative), 'utf8');
}

/** Analyses a fixture as if it lived at `repoPath` (defaults to its fixture path). */
export function analyseFixture(relative: string, framework: MigrationFramework, allowed = COLUMNS, repoPath = relative): Promise<MigrationAnalysis> {
  return analyseMigration({ path: repoPath, framework, content: fixture(relative) }, allowed);
}

export function analyseText(content: string, framework: MigrationFramework, repoPath = 'migration', allowed = COLUMNS): Promise<MigrationAnalysis> {
  return analyseMigration({ path: repoPath, framework, content }, allowed);
}

/** "7 add_column orders.note", "54 rollback drop_table invoices" */
export function line(op: MigrationOperation): string {
  const target = op.table === null ? '' : op.column === null ? ` ${op.table}` : ` ${op.table}.${op.column}`;
  return `${op.line}${op.direction === 'rollback' ? ' rollback' : ''} ${op.kind}${target}`;
}

export const summary = (analysis: MigrationAnalysis): string[] => analysis.operations.map(line);
export const kinds = (analysis: MigrationAnalysis): OperationKind[] => analysis.operations.map((op) => op.kind);
