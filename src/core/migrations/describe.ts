// Owns the sentence a reason shows for one migration operation, e.g.
// "`modify :table_oid, :bigint` changes a column type — beyond adding and removing columns".

import type { MigrationOperation, OperationKind } from './types';

const DEFAULT_ALLOWED: readonly OperationKind[] = ['add_column', 'remove_column'];

const WHAT: Record<OperationKind, string> = {
  add_column: 'adds a column',
  remove_column: 'removes a column',
  create_table: 'creates a table',
  drop_table: 'drops a table',
  rename_table: 'renames a table',
  rename_column: 'renames a column',
  change_column_type: 'changes a column type',
  change_column_null: 'changes whether a column accepts null',
  change_column_default: "changes a column's default",
  add_index: 'adds an index',
  remove_index: 'removes an index',
  add_constraint: 'adds a constraint',
  remove_constraint: 'removes a constraint',
  add_reference: 'adds a column that references another table',
  add_foreign_key: 'adds a foreign key',
  create_type: 'creates a type',
  alter_type: 'changes or drops a type',
  trigger_or_function: 'defines or drops a trigger or function',
  extension: 'enables or disables a database extension',
  data_change: 'changes data',
  raw_sql: 'could not be analysed',
  other: 'is a database operation outside the known kinds',
};

/** Inline code that survives backticks in the source (MySQL identifiers). */
function code(source: string): string {
  if (source === '') return 'this migration';
  return source.includes('`') ? `\`\` ${source} \`\`` : `\`${source}\``;
}

function beyond(allowed: readonly OperationKind[]): string {
  const set = new Set(allowed);
  const columnsOnly = set.size === 2 && set.has('add_column') && set.has('remove_column');
  return columnsOnly ? 'beyond adding and removing columns' : `beyond the allowed operations (${[...set].join(', ') || 'none'})`;
}

/**
 * The human sentence for an operation. For a kind outside `allowed` (default: adding and
 * removing columns) it says so; `raw_sql` and `other` carry their note, which says why.
 */
export function describeOperation(op: MigrationOperation, allowed: readonly OperationKind[] = DEFAULT_ALLOWED): string {
  let sentence = `${code(op.source)} ${WHAT[op.kind] ?? WHAT.other}`;
  if (op.note) sentence += op.kind === 'raw_sql' ? `: ${op.note}` : ` (${op.note})`;
  if (op.direction === 'rollback') return `${sentence} — rollback code, not counted`;
  if (allowed.includes(op.kind)) return sentence;
  return `${sentence} — ${op.kind === 'raw_sql' ? 'counted as ' : ''}${beyond(allowed)}`;
}

/** The few words a row or a CodeLens shows for an operation: "renames a column — beyond adding and removing columns". */
export function operationLabel(op: MigrationOperation, allowed: readonly OperationKind[] = DEFAULT_ALLOWED): string {
  const what = WHAT[op.kind] ?? WHAT.other;
  return allowed.includes(op.kind) ? what : `${what} — ${beyond(allowed)}`;
}
