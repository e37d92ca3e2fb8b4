// Owns reading one migration file into operations of the shared vocabulary. Parsers are heavy,
// so they are loaded on the first call only.

import type { MigrationAnalysis, MigrationFramework, MigrationOperation, OperationKind } from './types';

export interface MigrationInput {
  /** Repo-relative path. */
  path: string;
  framework: MigrationFramework;
  content: string;
}

/** Every forward operation is allowed; rollback code is reported but does not decide. */
export function isColumnsOnly(operations: readonly MigrationOperation[], allowed: readonly OperationKind[]): boolean {
  return operations.every((op) => op.direction === 'rollback' || allowed.includes(op.kind));
}

/** Never throws: what cannot be read becomes an unparsed operation, which counts as beyond allowed. */
export async function analyseMigration(input: MigrationInput, allowed: readonly OperationKind[]): Promise<MigrationAnalysis> {
  const operations: MigrationOperation[] = [
    { kind: 'other', table: null, column: null, line: 1, direction: 'forward', source: '', note: 'migration analysis is not implemented yet' },
  ];
  return { path: input.path, framework: input.framework, columnsOnly: isColumnsOnly(operations, allowed), operations };
}
