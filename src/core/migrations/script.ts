// Owns Knex and TypeORM migrations (JS/TS), read as a TypeScript syntax tree (the grammar reads
// plain JavaScript too). Knex: `knex.schema` chains and the table-builder callbacks of
// `alterTable`/`table`, column by column; `raw` with its SQL parsed. TypeORM: the `queryRunner`
// methods and `query("…")` with its SQL parsed. Code in `down` is rollback.

import { operation, type Direction } from './operation';
import type { Node } from './parsers';
import { checkBudget, forEachCandidate, unknownCall, embeddedSql, lineOf, opaqueSql, stringParts, withTree, type StringValue } from './syntax';
import type { MigrationFramework, MigrationOperation, OperationKind } from './types';

/** Knex and TypeORM share folders; TypeORM migrations implement `MigrationInterface` with a `QueryRunner`. */
export function scriptFramework(content: string, detected: MigrationFramework): MigrationFramework {
  if (/\bMigrationInterface\b|\bQueryRunner\b|\bqueryRunner\b/.test(content)) return 'typeorm';
  if (/\bknex\b|\bKnex\b|\.schema\b/.test(content)) return 'knex';
  return detected;
}

/** Schema-level methods (knex.schema.*, queryRunner.*): table first argument. */
const SCHEMA_METHODS: Record<string, OperationKind> = {
  createTable: 'create_table',
  createTableIfNotExists: 'create_table',
  createTableLike: 'create_table',
  dropTable: 'drop_table',
  dropTableIfExists: 'drop_table',
  renameTable: 'rename_table',
  // TypeORM QueryRunner
  addColumn: 'add_column',
  addColumns: 'add_column',
  dropColumn: 'remove_column',
  dropColumns: 'remove_column',
  changeColumn: 'change_column_type',
  changeColumns: 'change_column_type',
  renameColumn: 'rename_column',
  createIndex: 'add_index',
  createIndices: 'add_index',
  dropIndex: 'remove_index',
  dropIndices: 'remove_index',
  createForeignKey: 'add_foreign_key',
  createForeignKeys: 'add_foreign_key',
  dropForeignKey: 'remove_constraint',
  dropForeignKeys: 'remove_constraint',
  createPrimaryKey: 'add_constraint',
  updatePrimaryKeys: 'add_constraint',
  dropPrimaryKey: 'remove_constraint',
  createUniqueConstraint: 'add_constraint',
  createUniqueConstraints: 'add_constraint',
  dropUniqueConstraint: 'remove_constraint',
  dropUniqueConstraints: 'remove_constraint',
  createCheckConstraint: 'add_constraint',
  createCheckConstraints: 'add_constraint',
  dropCheckConstraint: 'remove_constraint',
  dropCheckConstraints: 'remove_constraint',
  createExclusionConstraint: 'add_constraint',
  createExclusionConstraints: 'add_constraint',
  dropExclusionConstraint: 'remove_constraint',
  dropExclusionConstraints: 'remove_constraint',
  clearTable: 'data_change',
  createView: 'other',
  createViewOrReplace: 'other',
  createMaterializedView: 'other',
  dropView: 'other',
  dropViewIfExists: 'other',
  dropMaterializedView: 'other',
  refreshMaterializedView: 'data_change',
  createSchema: 'other',
  createSchemaIfNotExists: 'other',
  dropSchema: 'other',
  dropSchemaIfExists: 'other',
  createDatabase: 'other',
  dropDatabase: 'other',
  createExtension: 'extension',
  createExtensionIfNotExists: 'extension',
  dropExtension: 'extension',
  dropExtensionIfExists: 'extension',
  // Sequelize's queryInterface (its migrations share the JS/TS folders and are read the same way)
  removeColumn: 'remove_column',
  addIndex: 'add_index',
  removeIndex: 'remove_index',
  addConstraint: 'add_constraint',
  removeConstraint: 'remove_constraint',
  bulkInsert: 'data_change',
  bulkUpdate: 'data_change',
  bulkDelete: 'data_change',
};
/** Methods that run SQL: knex.raw / knex.schema.raw, queryRunner.query, manager.query, MikroORM's addSql. */
const SQL_METHODS = new Set(['raw', 'query', 'addSql']);
/** Query-builder and entity-manager methods that write rows. */
const DATA_METHODS = new Set(['insert', 'update', 'del', 'delete', 'upsert', 'truncate', 'increment', 'decrement', 'merge', 'save', 'remove', 'batchInsert']);
/** Reads and no-ops: `hasTable`, `hasColumn`, `withSchema`, … are not operations. */

/** Table-builder methods (inside createTable/alterTable/table callbacks), other than column types. */
const BUILDER_METHODS: Record<string, OperationKind> = {
  dropColumn: 'remove_column',
  dropColumns: 'remove_column',
  renameColumn: 'rename_column',
  dropTimestamps: 'remove_column',
  timestamps: 'add_column',
  index: 'add_index',
  dropIndex: 'remove_index',
  setNullable: 'change_column_null',
  dropNullable: 'change_column_null',
  unique: 'add_constraint',
  dropUnique: 'remove_constraint',
  primary: 'add_constraint',
  dropPrimary: 'remove_constraint',
  foreign: 'add_foreign_key',
  dropForeign: 'remove_constraint',
  check: 'add_constraint',
  dropChecks: 'remove_constraint',
  checkPositive: 'add_constraint',
  checkNegative: 'add_constraint',
  checkIn: 'add_constraint',
  checkNotIn: 'add_constraint',
  checkBetween: 'add_constraint',
  checkLength: 'add_constraint',
  checkRegex: 'add_constraint',
};
/** Builder calls that change no schema. */
const BUILDER_NOOPS = new Set(['comment', 'engine', 'charset', 'collate', 'inherits', 'queryContext']);
const COLUMN_TYPES = new Set([
  'increments', 'bigIncrements', 'integer', 'bigInteger', 'tinyint', 'smallint', 'mediumint', 'bigint', 'text', 'string',
  'float', 'double', 'decimal', 'boolean', 'date', 'datetime', 'time', 'timestamp', 'binary', 'enu', 'enum', 'json', 'jsonb',
  'uuid', 'geometry', 'geography', 'point', 'specificType', 'integer', 'tinyint', 'datetime', 'dateTime', 'bit', 'varchar',
]);

interface Context {
  direction: Direction;
  ops: MigrationOperation[];
  /** Table-builder parameters in scope → their table and whether the table is being created. */
  builders: Map<string, { table: string | null; creating: boolean }>;
  values: Map<string, Node>;
}

export function scriptOperations(content: string): MigrationOperation[] {
  return withTree('typescript', content, (root) => {
    const ops: MigrationOperation[] = [];
    const values = constants(root);
    const builders = new Map<string, { table: string | null; creating: boolean }>();
    // Functions defined in the file are read where they are defined.
    const local = new Set(
      [...content.matchAll(/\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)|^\s*(?:(?:public|private|protected|static|async)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]*)?\{/gm)].map(
        (m) => (m[1] ?? m[2] ?? m[3])!,
      ),
    );
    // Chains are read from their outermost call, which comes first in document order.
    forEachCandidate(root, ['call_expression', ...BINDERS], migrationFunction, (node, direction, inFunction) => {
      if (node.type !== 'call_expression') return false;
      const before = ops.length;
      const known = chain(node, { direction, ops, builders, values });
      // A helper from elsewhere called for its effect in up/down may do anything: fail safe.
      const callee = calleeName(node);
      if (inFunction && !known && ops.length === before && !local.has(callee) && isStatement(node)) ops.push(unknownCall(node, callee, direction));
      return true;
    });
    return ops;
  });
}

/** `const sql = "…"` bindings, so `query(sql)` can be read. */
function constants(root: Node): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const node of root.descendantsOfType('variable_declarator')) {
    const n = node?.childForFieldName('name');
    const value = node?.childForFieldName('value');
    if (n?.type === 'identifier' && value) map.set(n.text, value);
  }
  return map;
}

/** The name a function is bound to, for telling `up` from `down`. */
function functionName(node: Node): string | undefined {
  switch (node.type) {
    case 'function_declaration':
    case 'method_definition':
      return node.childForFieldName('name')?.text;
    case 'assignment_expression': {
      const left = node.childForFieldName('left');
      return left?.type === 'member_expression' ? left.childForFieldName('property')?.text : left?.text;
    }
    case 'pair':
      return node.childForFieldName('key')?.text.replace(/['"]/g, '');
    case 'variable_declarator':
      return node.childForFieldName('name')?.text;
    default:
      return undefined;
  }
}

/** Nodes that hold no migration operation: not descended into (each visit crosses into WebAssembly). */
const LEAVES = new Set([
  'comment', 'string', 'template_string', 'number', 'identifier', 'property_identifier', 'shorthand_property_identifier',
  'type_identifier', 'type_annotation', 'predefined_type', 'type_arguments', 'import_statement', 'interface_declaration',
  'type_alias_declaration', 'accessibility_modifier', 'true', 'false', 'null', 'undefined', 'this', 'regex',
]);
const BINDERS = new Set(['function_declaration', 'method_definition', 'assignment_expression', 'pair', 'variable_declarator']);

/** `up` and `down` as functions, methods, exports or properties. */
function migrationFunction(node: Node): Direction | undefined {
  if (node.type === 'call_expression') return undefined;
  const head = node.text.slice(0, 64);
  if (!head.includes('down') && !head.includes('up')) return undefined;
  const name = functionName(node);
  return name === 'down' ? 'rollback' : name === 'up' ? 'forward' : undefined;
}

/** A call made for its effect: a statement of its own, awaited, returned, or an arrow function's body. */
function isStatement(call: Node): boolean {
  let parent = call.parent;
  if (parent?.type === 'await_expression') parent = parent.parent;
  return parent?.type === 'expression_statement' || parent?.type === 'return_statement' || parent?.type === 'arrow_function';
}

function calleeName(call: Node): string {
  const fn = call.childForFieldName('function');
  return (fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn?.text) ?? call.text.slice(0, 40);
}

/** Calls that change nothing: logging, existence checks, transaction control, reads. */
const HARMLESS = new Set([
  'log', 'info', 'warn', 'debug', 'error', 'trace', 'hasTable', 'hasColumn', 'hasSchema', 'hasDatabase', 'hasView',
  'getTable', 'getTables', 'getView', 'getCurrentSchema', 'getCurrentDatabase', 'startTransaction', 'commitTransaction',
  'rollbackTransaction', 'release', 'connect', 'clearSqlMemory', 'select', 'first', 'pluck', 'count', 'columnInfo', 'setTimeout',
]);

/** Walks the arguments of a call that is not a migration operation itself (`Promise.all([…])`). */
function visit(node: Node, ctx: Context): void {
  checkBudget();
  const type = node.type;
  if (LEAVES.has(type)) return;
  // Chains are read from their outermost call, which `visit` reaches first.
  if (type === 'call_expression') {
    chain(node, ctx);
    return;
  }
  if (ctx.direction !== 'rollback' && BINDERS.has(type) && functionName(node) === 'down') {
    ctx = { ...ctx, direction: 'rollback' };
  }
  for (const child of node.namedChildren) if (child) visit(child, ctx);
}

interface Segment {
  name: string;
  call: Node;
  args: Node[];
  /** Where the segment starts (`.createTable` in a chain spread over lines) and how it reads. */
  line: number;
  source: string;
}

const isFunction = (n: Node): boolean => n.type === 'arrow_function' || n.type === 'function_expression';

/** `knex.schema.createTable('x', …)`: the receiver as written, a chained call as `…`, callbacks as `…`. */
function segmentSource(receiver: Node | null, name: string, args: Node[]): string {
  const head = receiver === null ? '' : receiver.type === 'call_expression' || receiver.type === 'await_expression' ? '….' : `${receiver.text}.`;
  return `${head}${name}(${args.map((a) => (isFunction(a) ? '…' : a.text)).join(', ')})`;
}

/** `t.integer('a').unsigned().references('id')` → root `t`, segments integer, unsigned, references. */
function flatten(call: Node): { root: Node | undefined; segments: Segment[] } {
  const segments: Segment[] = [];
  let node: Node | null = call;
  while (node) {
    if (node.type === 'await_expression' || node.type === 'parenthesized_expression') {
      node = node.namedChildren[0] ?? null;
      continue;
    }
    if (node.type !== 'call_expression') break;
    const fn: Node | null = node.childForFieldName('function');
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => n !== null && n.type !== 'comment');
    if (fn?.type === 'member_expression') {
      const property = fn.childForFieldName('property');
      const name = property?.text ?? '';
      const receiver = fn.childForFieldName('object');
      segments.unshift({ name, call: node, args, line: property ? lineOf(property) : lineOf(node), source: segmentSource(receiver, name, args) });
      node = receiver;
      // Property access without a call (`knex.schema`) is part of the receiver path.
      while (node?.type === 'member_expression') node = node.childForFieldName('object');
    } else {
      // `knex('users')`: a call on the root itself (Knex's query builder).
      segments.unshift({ name: '()', call: node, args, line: lineOf(node), source: node.text });
      node = fn;
      break;
    }
  }
  return { root: node ?? undefined, segments };
}

function add(ctx: Context, kind: OperationKind, at: Node | Segment, table: string | null, column: string | null = null, note?: string): void {
  const where = 'source' in at ? { line: at.line, source: at.source } : { line: lineOf(at), source: at.text };
  ctx.ops.push(operation(kind, { ...where, direction: ctx.direction }, table, column, note));
}

function text(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'string' || node.type === 'template_string') return stringParts(node).text.split('__interpolated__').join('${…}');
  return node.text;
}

/** A table argument: `'users'`, or TypeORM's `new Table({ name: 'users' })` / a Table variable. */
function tableArg(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'new_expression') {
    const object = node.childForFieldName('arguments')?.namedChildren[0];
    if (object?.type === 'object') {
      for (const pair of object.namedChildren) if (pair?.type === 'pair' && pair.childForFieldName('key')?.text === 'name') return text(pair.childForFieldName('value') ?? undefined);
    }
    return null;
  }
  return text(node);
}

/** Reads a call chain; true when it knew what some part of it does (even nothing). */
function chain(call: Node, ctx: Context): boolean {
  const { root, segments } = flatten(call);
  const builder = root?.type === 'identifier' ? ctx.builders.get(root.text) : undefined;
  if (builder) {
    builderChain(segments, builder, ctx);
    return true;
  }
  let queryBuilderTable: string | null = null;
  let known = false;
  for (const segment of segments) {
    const { name, args } = segment;
    if (name === '()') {
      // `knex('users').update(…)` is a query; `addAuditColumns(knex)` alone is a helper.
      queryBuilderTable = text(args[0]);
      known = segments.length > 1;
      continue;
    }
    if (HARMLESS.has(name)) {
      known = true;
      continue;
    }
    known ||= SQL_METHODS.has(name) || name in SCHEMA_METHODS || name === 'alterTable' || name === 'table' || DATA_METHODS.has(name);
    if (SQL_METHODS.has(name)) {
      if (args[0]) sqlArgument(args[0], ctx);
      continue;
    }
    const kind = SCHEMA_METHODS[name];
    if (kind) {
      const table = tableArg(args[0]);
      const column = kind === 'add_column' || kind === 'remove_column' || kind === 'change_column_type' || kind === 'rename_column' ? columnArg(args[1]) : null;
      // Sequelize: addConstraint('t', { type: 'foreign key', … }).
      const foreign = name === 'addConstraint' && /type\s*:\s*['"]foreign key['"]/i.test(args[1]?.text ?? '');
      add(ctx, foreign ? 'add_foreign_key' : kind, segment, table, column);
      const callback = args.find((a) => a.type === 'arrow_function' || a.type === 'function_expression');
      if (callback && (name === 'createTable' || name === 'createTableIfNotExists')) continue; // the new table's columns belong to create_table
      if (callback) callbackBody(callback, { table, creating: false }, ctx);
      continue;
    }
    if (name === 'alterTable' || name === 'table') {
      const callback = args.find((a) => a.type === 'arrow_function' || a.type === 'function_expression');
      if (callback) callbackBody(callback, { table: text(args[0]), creating: false }, ctx);
      continue;
    }
    if (DATA_METHODS.has(name) && (queryBuilderTable !== null || segments.some((s) => s.name === 'into' || s.name === 'from' || s.name === 'table'))) {
      add(ctx, 'data_change', segment, queryBuilderTable);
      continue;
    }
    if (DATA_METHODS.has(name) && /\bmanager\.\w+\($/.test(segment.source.slice(0, segment.source.indexOf('(') + 1))) {
      add(ctx, 'data_change', segment, text(args[0]));
      continue;
    }
    // Anything else (then, withSchema, Promise.all …): read its arguments for nested calls.
    for (const arg of args) visit(arg, ctx);
  }
  return known;
}

/** TypeORM's `new TableColumn({ name: 'x' })` or a string. */
function columnArg(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'new_expression') return tableArg(node);
  if (node.type === 'array') return node.namedChildren.map((c) => columnArg(c ?? undefined)).join(', ');
  return text(node);
}

function callbackBody(callback: Node, builder: { table: string | null; creating: boolean }, ctx: Context): void {
  const params = callback.childForFieldName('parameters') ?? callback.childForFieldName('parameter');
  const first = params?.type === 'identifier' ? params : params?.namedChildren[0];
  const param = first?.type === 'identifier' ? first : first?.childForFieldName('pattern');
  const body = callback.childForFieldName('body');
  if (!param || !body) return;
  const builders = new Map(ctx.builders);
  builders.set(param.text, builder);
  visit(body, { ...ctx, builders });
}

function builderChain(segments: Segment[], builder: { table: string | null; creating: boolean }, ctx: Context): void {
  if (builder.creating || segments.length === 0) return;
  const [head, ...modifiers] = segments;
  const node = segments[segments.length - 1]!.call;
  const column = head!.name === 'timestamps' ? 'created_at, updated_at' : text(head!.args[0]);
  if (COLUMN_TYPES.has(head!.name)) {
    const names = modifiers.map((m) => m.name);
    if (names.includes('alter')) add(ctx, 'change_column_type', node, builder.table, column, '`.alter()` redefines the column: its type, null and default');
    else if (names.includes('references') || names.includes('inTable')) add(ctx, 'add_reference', node, builder.table, column);
    else add(ctx, 'add_column', node, builder.table, column);
    return;
  }
  if (BUILDER_NOOPS.has(head!.name)) return;
  const kind = BUILDER_METHODS[head!.name];
  if (!kind) {
    add(ctx, 'other', node, builder.table, column, `\`${head!.name}\` is not a table-builder method the analyser knows`);
    return;
  }
  if (head!.name === 'dropColumns') {
    for (const arg of head!.args) add(ctx, kind, node, builder.table, text(arg));
    return;
  }
  add(ctx, kind, node, builder.table, kind === 'add_column' || kind === 'remove_column' ? column : kind === 'rename_column' || kind === 'change_column_null' ? column : null);
}

function stringValue(node: Node, ctx: Context, depth = 0): StringValue | undefined {
  if (depth > 20) return undefined;
  if (node.type === 'string' || node.type === 'template_string') return stringParts(node);
  if (node.type === 'binary_expression' && node.childForFieldName('operator')?.text === '+') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const l = left ? stringValue(left, ctx, depth + 1) : undefined;
    const r = right ? stringValue(right, ctx, depth + 1) : undefined;
    if (!l || !r) return undefined;
    return { text: l.text + r.text, line: l.line, interpolated: l.interpolated || r.interpolated };
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return stringValue(node.namedChildren[0], ctx, depth + 1);
  if (node.type === 'identifier' && ctx.values.has(node.text)) return stringValue(ctx.values.get(node.text)!, ctx, depth + 1);
  if (node.type === 'array' && node.namedChildren.every((c) => c?.type === 'string' || c?.type === 'template_string')) {
    // `[...].join('\n')` is handled below; a bare array is not SQL.
    return undefined;
  }
  if (node.type === 'call_expression') {
    // `[ "…", "…" ].join("\n")`
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'member_expression' ? fn.childForFieldName('object') : undefined;
    if (fn?.childForFieldName('property')?.text === 'join' && object?.type === 'array') {
      const separator = node.childForFieldName('arguments')?.namedChildren[0];
      const sep = separator ? (stringValue(separator, ctx, depth + 1)?.text ?? ',') : ',';
      const parts = object.namedChildren.map((c) => (c ? stringValue(c, ctx, depth + 1) : undefined));
      if (parts.some((p) => !p)) return undefined;
      return { text: parts.map((p) => p!.text).join(sep), line: parts[0]?.line ?? lineOf(node), interpolated: parts.some((p) => p!.interpolated) };
    }
  }
  return undefined;
}

function sqlArgument(node: Node, ctx: Context): void {
  const value = stringValue(node, ctx);
  if (value) ctx.ops.push(...embeddedSql(value, ctx.direction, '${…}'));
  else ctx.ops.push(opaqueSql(node, ctx.direction, 'the SQL passed to `raw`/`query`'));
}
