// Owns Rails (ActiveRecord) migrations (db/migrate/*.rb), read as a Ruby syntax tree: the schema
// statements, `change_table` blocks command by command, `execute` with its SQL parsed (strings,
// concatenations and heredocs), `reversible`/`up_only`, and model data updates. Code in
// `def down` and `dir.down` is rollback.

import { operation, type Direction } from './operation';
import type { Node } from './parsers';
import { checkBudget, concatenated, forEachCandidate, unknownCall, embeddedSql, sourceOf, lineOf, opaqueSql, stringParts, withTree, type StringValue } from './syntax';
import type { MigrationOperation, OperationKind } from './types';

/** Statements with one operation whose table is the first argument and column the second. */
const STATEMENTS: Record<string, OperationKind> = {
  add_column: 'add_column',
  add_timestamps: 'add_column',
  remove_timestamps: 'remove_column',
  create_table: 'create_table',
  create_join_table: 'create_table',
  drop_table: 'drop_table',
  drop_join_table: 'drop_table',
  rename_table: 'rename_table',
  rename_column: 'rename_column',
  change_column: 'change_column_type',
  change_column_null: 'change_column_null',
  change_column_default: 'change_column_default',
  add_index: 'add_index',
  remove_index: 'remove_index',
  add_reference: 'add_reference',
  add_belongs_to: 'add_reference',
  remove_reference: 'remove_column',
  remove_belongs_to: 'remove_column',
  add_foreign_key: 'add_foreign_key',
  remove_foreign_key: 'remove_constraint',
  add_check_constraint: 'add_constraint',
  remove_check_constraint: 'remove_constraint',
  add_exclusion_constraint: 'add_constraint',
  remove_exclusion_constraint: 'remove_constraint',
  add_unique_constraint: 'add_constraint',
  remove_unique_constraint: 'remove_constraint',
  validate_constraint: 'add_constraint',
  validate_check_constraint: 'add_constraint',
  validate_foreign_key: 'add_constraint',
  create_enum: 'create_type',
  drop_enum: 'alter_type',
  rename_enum: 'alter_type',
  add_enum_value: 'alter_type',
  rename_enum_value: 'alter_type',
  enable_extension: 'extension',
  disable_extension: 'extension',
  create_schema: 'other',
  drop_schema: 'other',
  rename_index: 'other',
  create_virtual_table: 'create_table',
  drop_virtual_table: 'drop_table',
};
/** Metadata only: no change to the shape of the data. */
const NOT_OPERATIONS = new Set(['change_column_comment', 'change_table_comment', 'say', 'say_with_time', 'reset_column_information']);
/** Methods that run SQL, with or without a connection receiver. */
const SQL_METHODS = new Set(['execute', 'exec_query', 'exec_update', 'exec_delete', 'exec_insert']);
/** Model methods that write rows. */
const DATA_METHODS = new Set([
  'update_all', 'delete_all', 'destroy_all', 'insert_all', 'insert_all!', 'upsert_all', 'insert', 'insert!', 'upsert',
  'update_column', 'update_columns', 'update!', 'update', 'save!', 'save', 'create!', 'create', 'destroy', 'delete',
  'find_or_create_by!', 'find_or_create_by', 'increment!', 'decrement!', 'touch_all',
]);

/** `change_table` block commands other than column types. */
const TABLE_COMMANDS: Record<string, OperationKind> = {
  references: 'add_reference',
  belongs_to: 'add_reference',
  remove: 'remove_column',
  remove_references: 'remove_column',
  remove_belongs_to: 'remove_column',
  index: 'add_index',
  remove_index: 'remove_index',
  rename_index: 'other',
  rename: 'rename_column',
  change: 'change_column_type',
  change_default: 'change_column_default',
  change_null: 'change_column_null',
  timestamps: 'add_column',
  remove_timestamps: 'remove_column',
  foreign_key: 'add_foreign_key',
  remove_foreign_key: 'remove_constraint',
  check_constraint: 'add_constraint',
  remove_check_constraint: 'remove_constraint',
  exclusion_constraint: 'add_constraint',
  unique_constraint: 'add_constraint',
  column: 'add_column',
};
const COLUMN_TYPES = new Set([
  'string', 'text', 'integer', 'bigint', 'float', 'decimal', 'numeric', 'datetime', 'time', 'date', 'binary', 'blob',
  'boolean', 'json', 'jsonb', 'uuid', 'timestamp', 'timestamptz', 'citext', 'inet', 'cidr', 'macaddr', 'hstore', 'ltree',
  'interval', 'money', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'bit', 'bit_varying', 'xml', 'tsvector',
  'daterange', 'numrange', 'tsrange', 'tstzrange', 'int4range', 'int8range', 'oid', 'enum', 'virtual', 'serial', 'bigserial',
  'smallint', 'primary_key', 'st_point', 'geometry', 'geography', 'set', 'tinyint', 'mediumint', 'char', 'varchar',
]);

interface Context {
  direction: Direction;
  ops: MigrationOperation[];
  /** Heredoc bodies by the start offset of their `<<~TAG`. */
  heredocs: Map<number, Node>;
  /** Local variables and constants assigned a value, for `execute sql`. */
  values: Map<string, Node>;
}

export function railsOperations(content: string): MigrationOperation[] {
  return withTree('ruby', content, (root) => {
    const ops: MigrationOperation[] = [];
    const heredocs = heredocBodies(root);
    const values = assignments(root);
    // Methods defined in the file are read where they are defined.
    const local = new Set([...content.matchAll(/\bdef\s+(?:self\.)?([a-z_][\w?!]*)/g)].map((m) => m[1]!));
    forEachCandidate(root, ['call', 'method', 'singleton_method'], migrationMethod, (node, direction, inMethod) => {
      if (node.type !== 'call') return false;
      if (handleCall(node, { direction, ops, heredocs, values })) return true;
      // A helper from elsewhere called as a statement of up/change/down may do anything: fail safe.
      const fn = methodName(node);
      if (!inMethod || !fn || HARMLESS.has(fn) || node.parent?.type !== 'body_statement') return false;
      const receiver = node.childForFieldName('receiver');
      // `Audit::Migration.install(self)`: a constant's method (model reads and logging aside).
      const remote = receiver && (receiver.type === 'constant' || receiver.type === 'scope_resolution') && !HARMLESS_RECEIVERS.has(receiver.text);
      if ((!receiver && !local.has(fn)) || remote) {
        ops.push(unknownCall(node, receiver ? `${receiver.text}.${fn}` : fn, direction));
        return true;
      }
      return false;
    });
    return ops;
  });
}

/** A heredoc's body follows the line of its `<<~TAG`; several on one line come in order. */
function heredocBodies(root: Node): Map<number, Node> {
  const starts = root.descendantsOfType('heredoc_beginning').filter((n): n is Node => n !== null);
  const bodies = root.descendantsOfType('heredoc_body').filter((n): n is Node => n !== null);
  const map = new Map<number, Node>();
  starts.forEach((start, i) => {
    const body = bodies[i];
    if (body) map.set(start.startIndex, body);
  });
  return map;
}

function assignments(root: Node): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const node of root.descendantsOfType('assignment')) {
    const left = node?.childForFieldName('left');
    const right = node?.childForFieldName('right');
    if (left && right && (left.type === 'identifier' || left.type === 'constant')) map.set(left.text, right);
  }
  return map;
}

const argList = (call: Node): Node[] => (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => n !== null);
const positional = (call: Node): Node[] => argList(call).filter((n) => n.type !== 'pair' && n.type !== 'hash' && n.type !== 'block_argument');

function option(call: Node, key: string): Node | undefined {
  for (const arg of argList(call)) {
    const pairs = arg.type === 'pair' ? [arg] : arg.type === 'hash' ? arg.namedChildren : [];
    for (const pair of pairs) {
      const k = pair?.childForFieldName('key')?.text.replace(/^:|:$/g, '');
      if (pair && k === key) return pair.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

/** `:users` → users, `"users"` → users, anything else as written. */
function name(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'simple_symbol') return node.text.slice(1);
  if (node.type === 'delimited_symbol') return stringParts(node).text;
  if (node.type === 'string') return stringParts(node).text.split('__interpolated__').join('#{…}');
  return node.text;
}

function add(ctx: Context, kind: OperationKind, node: Node, table: string | null, column: string | null = null, note?: string): void {
  ctx.ops.push(operation(kind, { line: lineOf(node), direction: ctx.direction, source: sourceOf(node) }, table, column, note));
}

const methodName = (call: Node): string | undefined => call.childForFieldName('method')?.text;
const blockOf = (call: Node): Node | undefined => call.childForFieldName('block') ?? undefined;

function blockParam(block: Node | undefined): string | undefined {
  const params = block?.childForFieldName('parameters');
  const first = params?.namedChildren[0];
  return first?.type === 'identifier' ? first.text : undefined;
}

function visitChildren(node: Node, ctx: Context): void {
  for (const child of node.namedChildren) if (child) visit(child, ctx);
}

/** Nodes that hold no migration operation: not descended into (each visit crosses into WebAssembly). */
const LEAVES = new Set([
  'comment', 'simple_symbol', 'delimited_symbol', 'string', 'integer', 'float', 'identifier', 'constant', 'hash_key_symbol',
  'heredoc_body', 'heredoc_beginning', 'true', 'false', 'nil', 'self', 'superclass', 'string_array', 'symbol_array', 'regex',
]);

/** `def up`/`def change` (and `def self.up`) are forward, `def down` is rollback. */
function migrationMethod(node: Node): Direction | undefined {
  if (node.type === 'call') return undefined;
  const name = node.childForFieldName('name')?.text;
  return name === 'down' ? 'rollback' : name === 'up' || name === 'change' ? 'forward' : undefined;
}

/** Constants whose methods a migration calls without changing the schema. */
const HARMLESS_RECEIVERS = new Set(['Rails', 'Rails.logger', 'Kernel', 'STDOUT', '$stdout', 'Time', 'Date', 'ActiveRecord::Base', 'ApplicationRecord']);

/** Calls in a migration method that change nothing, or whose blocks are read on their own. */
const HARMLESS = new Set([
  'say', 'say_with_time', 'puts', 'p', 'pp', 'print', 'sleep', 'require', 'require_relative', 'raise', 'fail', 'loop',
  'reset_column_information', 'transaction', 'disable_ddl_transaction!', 'safety_assured', 'lambda', 'proc', 'binding',
  // Reading and iterating records: what the block does is read on its own.
  'each', 'find_each', 'find_in_batches', 'in_batches', 'each_with_index', 'map', 'times', 'where', 'find', 'find_by',
  'all', 'pluck', 'count', 'exists?', 'first', 'last', 'order', 'includes', 'joins', 'select', 'table_exists?',
  'column_exists?', 'index_exists?', 'foreign_key_exists?', 'connection', 'info', 'debug', 'warn', 'error', 'new',
]);

/** Walks a block read whole (`reversible`, `up_only`, a `change_table` statement it does not know). */
function visit(node: Node, ctx: Context): void {
  checkBudget();
  const type = node.type;
  if (LEAVES.has(type)) return;
  if (type === 'method' || type === 'singleton_method') {
    const fname = node.childForFieldName('name')?.text;
    visitChildren(node, fname === 'down' ? { ...ctx, direction: 'rollback' } : ctx);
    return;
  }
  if (type === 'call' && handleCall(node, ctx)) return;
  visitChildren(node, ctx);
}

function handleCall(node: Node, ctx: Context): boolean {
  const fn = methodName(node);
  if (!fn) return false;
  const receiver = node.childForFieldName('receiver');
  if (SQL_METHODS.has(fn)) {
    const sql = positional(node)[0];
    if (sql) sqlArgument(sql, ctx);
    return true;
  }
  if (receiver) {
    if (DATA_METHODS.has(fn) && receiver.type !== 'self') {
      add(ctx, 'data_change', node, null, null, `\`${fn}\` writes rows`);
      return true;
    }
    return false;
  }
  // say_with_time wraps statements in a block: those are read on their own.
  if (NOT_OPERATIONS.has(fn)) return fn !== 'say_with_time';
  const [first, second] = positional(node);
  switch (fn) {
    case 'change_table': {
      const block = blockOf(node);
      const param = blockParam(block);
      const body = block?.childForFieldName('body');
      if (body && param) tableCommands(body, param, name(first), ctx);
      else add(ctx, 'other', node, name(first), null, '`change_table` without a block the analyser can read');
      return true;
    }
    case 'remove_column':
    case 'remove_columns': {
      const columns = positional(node).slice(1).filter((c) => c.type === 'simple_symbol' || c.type === 'string');
      // `remove_column :t, :c, :string` names the type third: only the first is a column.
      for (const column of fn === 'remove_column' ? columns.slice(0, 1) : columns) add(ctx, 'remove_column', node, name(first), name(column));
      return true;
    }
    case 'reversible': {
      const block = blockOf(node);
      const param = blockParam(block);
      if (block) visitReversible(block, param, ctx);
      return true;
    }
    case 'up_only':
      visitChildren(node, ctx);
      return true;
    case 'revert':
      add(ctx, 'other', node, null, null, '`revert` undoes other schema statements; the analyser does not invert them');
      return true;
  }
  const kind = STATEMENTS[fn];
  if (!kind) return false;
  const type = name(positional(node)[2]);
  const resolved = fn === 'add_column' && (type === 'references' || type === 'belongs_to') ? 'add_reference' : kind;
  const column = fn.endsWith('_timestamps') ? 'created_at, updated_at' : kind === 'add_index' || kind === 'remove_index' ? indexColumns(node, second) : columnArgument(kind, second);
  const note = kind === 'other' ? `\`${fn}\`` : fn.startsWith('remove_reference') || fn.startsWith('remove_belongs_to') ? 'removes a reference column (with its index and foreign key)' : undefined;
  add(ctx, resolved, node, name(first), column, note);
  // A `create_table` block defines the new table's columns: they are part of `create_table`.
  return true;
}

function columnArgument(kind: OperationKind, arg: Node | undefined): string | null {
  switch (kind) {
    case 'add_column':
    case 'add_reference':
    case 'remove_column':
    case 'rename_column':
    case 'change_column_type':
    case 'change_column_null':
    case 'change_column_default':
      return name(arg);
    default:
      return null;
  }
}

function indexColumns(node: Node, arg: Node | undefined): string | null {
  if (!arg) return name(option(node, 'column'));
  if (arg.type === 'array') return arg.namedChildren.map((c) => name(c ?? undefined)).join(', ');
  return name(arg);
}

function tableCommands(body: Node, param: string, table: string | null, ctx: Context): void {
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const receiver = statement.type === 'call' ? statement.childForFieldName('receiver') : null;
    const fn = statement.type === 'call' ? methodName(statement) : undefined;
    if (!receiver || receiver.text !== param || !fn) {
      visit(statement, ctx);
      continue;
    }
    const args = positional(statement);
    if (COLUMN_TYPES.has(fn)) {
      for (const column of args) add(ctx, 'add_column', statement, table, name(column));
      if (args.length === 0) add(ctx, 'add_column', statement, table);
      continue;
    }
    const kind = TABLE_COMMANDS[fn];
    if (!kind) {
      add(ctx, 'other', statement, table, null, `\`${param}.${fn}\` is not a change_table command the analyser knows`);
      continue;
    }
    if (fn === 'remove' || fn === 'remove_references' || fn === 'remove_belongs_to' || fn === 'references' || fn === 'belongs_to') {
      for (const column of args) add(ctx, kind, statement, table, name(column));
    } else if (fn === 'timestamps' || fn === 'remove_timestamps') {
      add(ctx, kind, statement, table, 'created_at, updated_at');
    } else if (kind === 'add_index' || kind === 'remove_index') {
      add(ctx, kind, statement, table, indexColumns(statement, args[0]));
    } else {
      add(ctx, kind, statement, table, kind === 'add_column' || kind.startsWith('change_') || kind === 'rename_column' ? name(args[0]) : null);
    }
  }
}

/** `reversible do |dir| dir.up { … }; dir.down { … } end` */
function visitReversible(block: Node, param: string | undefined, ctx: Context): void {
  const body = block.childForFieldName('body');
  if (!body) return;
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const receiver = statement.type === 'call' ? statement.childForFieldName('receiver') : null;
    const fn = statement.type === 'call' ? methodName(statement) : undefined;
    if (receiver && param && receiver.text === param && (fn === 'up' || fn === 'down')) {
      const inner = blockOf(statement);
      if (inner) visitChildren(inner, fn === 'down' ? { ...ctx, direction: 'rollback' } : ctx);
    } else {
      visit(statement, ctx);
    }
  }
}

/** The value of a string expression: literals, `+` and adjacent concatenation, heredocs, `.squish`. */
function stringValue(node: Node, ctx: Context, depth = 0): StringValue | undefined {
  if (depth > 20) return undefined;
  switch (node.type) {
    case 'string':
      return stringParts(node);
    case 'heredoc_beginning': {
      const body = ctx.heredocs.get(node.startIndex);
      return body ? stringParts(body) : undefined;
    }
    case 'chained_string':
    case 'binary': {
      if (node.type === 'binary' && node.childForFieldName('operator')?.text !== '+') return undefined;
      const parts = node.type === 'binary' ? [node.childForFieldName('left'), node.childForFieldName('right')] : node.namedChildren;
      return concatenated(parts, (part) => stringValue(part, ctx, depth + 1));
    }
    case 'parenthesized_statements':
      return node.namedChildren[0] ? stringValue(node.namedChildren[0], ctx, depth + 1) : undefined;
    case 'call': {
      const receiver = node.childForFieldName('receiver');
      const fn = methodName(node);
      if (receiver && fn && ['squish', 'strip', 'strip_heredoc', 'freeze', 'chomp', 'dup', 'lstrip', 'rstrip'].includes(fn)) return stringValue(receiver, ctx, depth + 1);
      return undefined;
    }
    case 'identifier':
    case 'constant': {
      const value = ctx.values.get(node.text);
      return value ? stringValue(value, ctx, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

function sqlArgument(node: Node, ctx: Context): void {
  const value = stringValue(node, ctx);
  if (value) ctx.ops.push(...embeddedSql(value, ctx.direction, '#{…}'));
  else ctx.ops.push(opaqueSql(node, ctx.direction, 'the argument of `execute`'));
}
