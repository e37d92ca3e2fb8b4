// Owns the sentence a migration operation becomes in a reason.
import type { MigrationOperation, OperationKind } from './types';

const WHAT: Record<OperationKind, string> = {
  add_column: 'adds a column',
  remove_column: 'removes a column',
  create_table: 'creates a table',
  drop_table: 'drops a table',
  rename_table: 'renames a table',
  rename_column: 'renames a column',
  change_column_type: 'changes a column type',
  change_column_null: 'changes whether a column may be null',
  change_column_default: "changes a column's default",
  add_index: 'adds an index',
  remove_index: 'removes an index',
  add_constraint: 'adds a constraint',
  remove_constraint: 'removes a constraint',
  add_reference: 'adds a reference',
  add_foreign_key: 'adds a foreign key',
  create_type: 'creates a type',
  alter_type: 'alters a type',
  trigger_or_function: 'changes a trigger or function',
  extension: 'changes a database extension',
  data_change: 'changes data',
  raw_sql: 'runs SQL that could not be analysed',
  other: 'does something that could not be classified',
};

/** "`modify :table_oid, :bigint` changes a column type — beyond adding and removing columns". */
export function describeOperation(op: MigrationOperation): string {
  const source = op.source ? `\`${op.source.length > 80 ? `${op.source.slice(0, 77)}...` : op.source}\` ` : '';
  const target = op.table ? ` (${op.table}${op.column ? `.${op.column}` : ''})` : '';
  const note = op.note ? `; ${op.note}` : '';
  return `${source}${WHAT[op.kind]}${target}${note} — beyond adding and removing columns`;
}
