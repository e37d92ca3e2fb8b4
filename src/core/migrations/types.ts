// One operation vocabulary for every migration framework. The policy's `migrations.allowed`
// and every analyser speak only these words.

export const OPERATION_KINDS = [
  'add_column',
  'remove_column',
  'create_table',
  'drop_table',
  'rename_table',
  'rename_column',
  'change_column_type',
  'change_column_null',
  'change_column_default',
  'add_index',
  'remove_index',
  'add_constraint',
  'remove_constraint',
  'add_reference',
  'add_foreign_key',
  'create_type',
  'alter_type',
  'trigger_or_function',
  'extension',
  'data_change',
  'raw_sql',
  'other',
] as const;

export type OperationKind = (typeof OPERATION_KINDS)[number];

export const MIGRATION_FRAMEWORKS = ['ecto', 'rails', 'django', 'sql', 'knex', 'typeorm'] as const;
export type MigrationFramework = (typeof MIGRATION_FRAMEWORKS)[number];

export interface MigrationOperation {
  kind: OperationKind;
  table: string | null;
  column: string | null;
  /** 1-based line in the migration file where the operation starts. */
  line: number;
  direction: 'forward' | 'rollback';
  /** The source of the operation, trimmed to one line, for messages ("modify :table_oid, :bigint"). */
  source: string;
  /** Why this kind was chosen when it is not obvious (e.g. "statement could not be parsed"). */
  note?: string;
  /** The table's schema prefix when only known at run time (Ecto's `prefix: @config_schema`); `table` is then the bare name. */
  dynamicPrefix?: string;
}

export interface MigrationAnalysis {
  /** Repo-relative path. */
  path: string;
  framework: MigrationFramework;
  /** True when every forward operation is in the policy's allowed set. */
  columnsOnly: boolean;
  operations: MigrationOperation[];
}
