// Owns SQL: cutting a script into statements, parsing each with a real grammar (PostgreSQL's,
// then MySQL's), and naming what each statement does. Used for .sql migrations and for the SQL
// that Ecto `execute`, Rails `execute`, Django `RunSQL`, Knex `raw` and TypeORM `query` carry.

import { ANALYSIS_BUDGET_MS, LineCounter, lineAt, operation, overBudget, unparsed, type Direction } from './operation';
import { parseMysql, parsePlpgsql, parsePostgres, type PgNode, type PgParseResult } from './parsers';
import type { MigrationOperation, OperationKind } from './types';

export interface SqlStatement {
  text: string;
  /** Offset of the statement's first character in the script. */
  offset: number;
}

export interface SplitOptions {
  /** MySQL treats `\` as an escape inside '…' and `#` as a comment. */
  mysql?: boolean;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$]/.test(c);

/**
 * Cuts a script at its statement delimiters. This is a lexer, not a classifier: it only has to
 * know where strings, quoted identifiers, comments and dollar-quoted bodies start and end, so a
 * `;` inside them does not end a statement. It honours the MySQL client's `DELIMITER` directive.
 * Comments before a statement are left out so the statement's line is where its code starts.
 */
export function splitSql(sql: string, options: SplitOptions = {}): SqlStatement[] {
  const out: SqlStatement[] = [];
  const n = sql.length;
  let delimiter = ';';
  let start = -1;
  let i = 0;
  const push = (end: number): void => {
    const text = sql.slice(start, end);
    if (text.trim() !== '') out.push({ text, offset: start });
    start = -1;
  };
  while (i < n) {
    const c = sql[i]!;
    if (start === -1) {
      if (isSpace(c)) {
        i++;
        continue;
      }
      if ((c === 'd' || c === 'D') && sql.slice(i, i + 9).toLowerCase() === 'delimiter' && isSpace(sql[i + 9])) {
        const eol = sql.indexOf('\n', i);
        const end = eol === -1 ? n : eol;
        const next = sql.slice(i + 9, end).trim();
        if (next !== '') delimiter = next;
        i = end + 1;
        continue;
      }
    }
    if ((c === '-' && sql[i + 1] === '-') || (c === '#' && options.mysql)) {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      // PostgreSQL nests block comments.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') (depth++, (i += 2));
        else if (sql[i] === '*' && sql[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
      continue;
    }
    if (start === -1) start = i;
    if (sql.startsWith(delimiter, i)) {
      push(i);
      i += delimiter.length;
      continue;
    }
    if (c === "'") {
      const escapes = options.mysql || ((sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentChar(sql[i - 2]));
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === '"' || c === '`') {
      const close = sql.indexOf(c, i + 1);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (c === '$' && !isIdentChar(sql[i - 1])) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
        continue;
      }
    }
    i++;
  }
  if (start !== -1) push(n);
  return out;
}

/** A hint, not a classification: which lexing rules to split with. */
export function looksLikeMysql(sql: string): boolean {
  return sql.includes('`') || /\bENGINE\s*=|\bAUTO_INCREMENT\b/i.test(sql);
}

export interface SqlContext {
  /** 1-based line of the SQL's first character in the migration file. */
  line: number;
  direction: Direction;
}

/** Operations of a piece of SQL embedded in a migration (a string, heredoc or .sql section). */
export function sqlOperations(sql: string, at: SqlContext, options: SplitOptions = {}): MigrationOperation[] {
  const mysql = options.mysql ?? looksLikeMysql(sql);
  if (!mysql) {
    const whole = wholeScriptOperations(sql, at);
    if (whole) return whole;
  }
  const ops: MigrationOperation[] = [];
  const lines = new LineCounter(sql);
  const statements = splitSql(sql, { mysql });
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    const line = at.line + lines.lineAt(statement.offset) - 1;
    if (overBudget()) {
      ops.push(stopped({ line, direction: at.direction, source: statement.text }, statements.length - i));
      break;
    }
    ops.push(...statementOperations(statement.text, { line, direction: at.direction }));
  }
  return ops;
}

/** The rest of a script that ran out of time: one operation that counts as beyond. */
function stopped(where: { line: number; direction: Direction; source: string }, remaining: number): MigrationOperation {
  return unparsed(where, `analysis stopped after ${ANALYSIS_BUDGET_MS / 1000} s; this and the ${remaining - 1} statements after it were not analysed`);
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The common case in one parser call: PostgreSQL accepts the whole script and says where each
 * statement is (in UTF-8 bytes). Undefined when it does not, so statements are tried one by one.
 */
function wholeScriptOperations(sql: string, at: SqlContext): MigrationOperation[] | undefined {
  let result: PgParseResult;
  try {
    result = parsePostgres(sql);
  } catch {
    return undefined;
  }
  const bytes = ASCII.test(sql) ? undefined : Buffer.from(sql, 'utf8');
  const ops: MigrationOperation[] = [];
  const lines = new LineCounter(sql);
  // Byte offsets to string offsets, advanced statement by statement (statements come in order).
  let byteMark = 0;
  let charMark = 0;
  const stmts = result.stmts ?? [];
  for (let i = 0; i < stmts.length; i++) {
    const entry = stmts[i]!;
    const start = entry.stmt_location ?? 0;
    const end = entry.stmt_len ? start + entry.stmt_len : undefined;
    const raw = bytes ? bytes.subarray(start, end).toString('utf8') : sql.slice(start, end);
    if (bytes && start >= byteMark) {
      charMark += bytes.subarray(byteMark, start).toString('utf8').length;
      byteMark = start;
    }
    const before = bytes ? charMark : start;
    // A statement's span starts after the previous `;`: skip the comments and blank lines before it.
    const lead = splitSql(raw)[0]?.offset ?? 0;
    const text = raw.slice(lead).replace(/[\s;]+$/, '');
    const where = { line: at.line + lines.lineAt(before + lead) - 1, direction: at.direction, source: text };
    if (overBudget()) {
      ops.push(stopped(where, stmts.length - i));
      break;
    }
    ops.push(...pgOperations(entry, where));
  }
  return ops;
}

function pgOperations(entry: NonNullable<PgParseResult['stmts']>[number], where: { line: number; direction: Direction; source: string }): MigrationOperation[] {
  const [type, node] = Object.entries(entry.stmt ?? {})[0] ?? [];
  if (type === undefined || node === undefined) return [];
  if (type === 'DoStmt') return doBlockOperations(node, where);
  return pgStatement(type, node).map((found) => operation(found.kind, where, found.table, found.column, found.note));
}

/**
 * A DO block's PL/pgSQL, read with PostgreSQL's own PL/pgSQL parser: the SQL statements it runs
 * are classified like any other (`IF NOT EXISTS (…) THEN ALTER TABLE … ADD COLUMN` is an added
 * column); dynamic SQL (`EXECUTE`) cannot be read and counts as beyond; conditions and loop
 * queries only read.
 */
function doBlockOperations(node: PgNode, where: { line: number; direction: Direction; source: string }): MigrationOperation[] {
  const option = (name: string): string | null => {
    for (const arg of arr(node.args)) {
      const def = obj(obj(arg)?.DefElem);
      if (str(def?.defname) === name) return str(obj(obj(def?.arg)?.String)?.sval);
    }
    return null;
  };
  const body = option('as');
  const language = (option('language') ?? 'plpgsql').toLowerCase();
  const opaque = (why: string): MigrationOperation[] => [operation('raw_sql', where, null, null, why)];
  if (body === null || language !== 'plpgsql') return opaque(`a DO block in ${language} is not analysed`);
  let tree: PgNode;
  try {
    tree = parsePlpgsql(`CREATE FUNCTION __change_control_do() RETURNS void LANGUAGE plpgsql AS $__change_control_do$${body}$__change_control_do$`);
  } catch (err) {
    return opaque(`the DO block's PL/pgSQL could not be parsed (${err instanceof Error ? err.message : String(err)})`);
  }
  const ops: MigrationOperation[] = [];
  const at = (statement: PgNode): SqlContext => ({ line: where.line + Math.max(0, (typeof statement.lineno === 'number' ? statement.lineno : 1) - 1), direction: where.direction });
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    const o = obj(value);
    if (!o) return;
    for (const [key, child] of Object.entries(o)) {
      const statement = obj(child);
      if (key === 'PLpgSQL_stmt_execsql' && statement) {
        const query = str(obj(obj(statement.sqlstmt)?.PLpgSQL_expr)?.query);
        if (query !== null) ops.push(...statementOperations(query, at(statement)));
      } else if ((key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors') && statement) {
        ops.push(operation('raw_sql', { ...at(statement), source: where.source }, null, null, 'a DO block runs dynamic SQL (EXECUTE), which is not analysed'));
      } else if ((key === 'PLpgSQL_stmt_perform' || key === 'PLpgSQL_stmt_call') && statement) {
        ops.push(operation('other', { ...at(statement), source: where.source }, null, null, 'a DO block calls a function for its side effects'));
      } else {
        walk(child);
      }
    }
  };
  walk(tree);
  return ops;
}

/** Operations of one statement; a statement neither grammar accepts is reported as unparsed. */
export function statementOperations(text: string, at: SqlContext): MigrationOperation[] {
  const where = { ...at, source: text };
  let pgError: string;
  try {
    const result = parsePostgres(text);
    const ops: MigrationOperation[] = [];
    for (const entry of result.stmts ?? []) ops.push(...pgOperations(entry, where));
    return ops;
  } catch (err) {
    pgError = err instanceof Error ? err.message : String(err);
  }
  try {
    const ast = parseMysql(text);
    const ops: MigrationOperation[] = [];
    for (const node of Array.isArray(ast) ? ast : [ast]) {
      for (const found of mysqlStatement(node as MyNode)) ops.push(operation(found.kind, where, found.table, found.column, found.note));
    }
    return ops;
  } catch {
    return [unparsed(where, `statement could not be parsed as PostgreSQL or MySQL (${pgError})`)];
  }
}

interface Found {
  kind: OperationKind;
  table: string | null;
  column: string | null;
  note?: string;
}

const found = (kind: OperationKind, table: string | null = null, column: string | null = null, note?: string): Found =>
  note === undefined ? { kind, table, column } : { kind, table, column, note };

// ---- PostgreSQL (libpg_query JSON) ----

const obj = (v: unknown): PgNode | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as PgNode) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function relation(node: unknown): string | null {
  const r = obj(node);
  if (!r) return null;
  const name = str(r.relname);
  if (name === null) return null;
  const schema = str(r.schemaname);
  return schema ? `${schema}.${name}` : name;
}

/** `[{String:{sval:'a'}},{String:{sval:'b'}}]` → "a.b" */
function dotted(items: unknown): string | null {
  const parts = arr(items)
    .map((item) => str(obj(obj(item)?.String)?.sval))
    .filter((s): s is string => s !== null);
  return parts.length > 0 ? parts.join('.') : null;
}

function dropTarget(object: unknown): string | null {
  const o = obj(object);
  if (!o) return null;
  if (o.List) return dotted(obj(o.List)?.items);
  if (o.String) return str(obj(o.String)?.sval);
  if (o.TypeName) return dotted(obj(o.TypeName)?.names);
  if (o.ObjectWithArgs) return dotted(obj(o.ObjectWithArgs)?.objname);
  return null;
}

const DROP_KINDS: Record<string, OperationKind> = {
  OBJECT_TABLE: 'drop_table',
  OBJECT_INDEX: 'remove_index',
  OBJECT_FUNCTION: 'trigger_or_function',
  OBJECT_PROCEDURE: 'trigger_or_function',
  OBJECT_ROUTINE: 'trigger_or_function',
  OBJECT_TRIGGER: 'trigger_or_function',
  OBJECT_EVENT_TRIGGER: 'trigger_or_function',
  OBJECT_RULE: 'trigger_or_function',
  OBJECT_AGGREGATE: 'trigger_or_function',
  OBJECT_EXTENSION: 'extension',
  OBJECT_TYPE: 'alter_type',
  OBJECT_DOMAIN: 'alter_type',
};

const RENAME_KINDS: Record<string, OperationKind> = {
  OBJECT_TABLE: 'rename_table',
  OBJECT_COLUMN: 'rename_column',
  OBJECT_TYPE: 'alter_type',
  OBJECT_ATTRIBUTE: 'alter_type',
  OBJECT_DOMAIN: 'alter_type',
  OBJECT_FUNCTION: 'trigger_or_function',
  OBJECT_TRIGGER: 'trigger_or_function',
};

const STATEMENT_KINDS: Record<string, OperationKind> = {
  CreateStmt: 'create_table',
  IndexStmt: 'add_index',
  CreateEnumStmt: 'create_type',
  CompositeTypeStmt: 'create_type',
  CreateRangeStmt: 'create_type',
  CreateDomainStmt: 'create_type',
  AlterEnumStmt: 'alter_type',
  AlterDomainStmt: 'alter_type',
  AlterTypeStmt: 'alter_type',
  CreateFunctionStmt: 'trigger_or_function',
  AlterFunctionStmt: 'trigger_or_function',
  CreateTrigStmt: 'trigger_or_function',
  CreateEventTrigStmt: 'trigger_or_function',
  AlterEventTrigStmt: 'trigger_or_function',
  RuleStmt: 'trigger_or_function',
  CreatePLangStmt: 'trigger_or_function',
  CreateExtensionStmt: 'extension',
  AlterExtensionStmt: 'extension',
  AlterExtensionContentsStmt: 'extension',
  InsertStmt: 'data_change',
  UpdateStmt: 'data_change',
  DeleteStmt: 'data_change',
  MergeStmt: 'data_change',
  CopyStmt: 'data_change',
  TruncateStmt: 'data_change',
  RefreshMatViewStmt: 'data_change',
};

const OTHER_NOTES: Record<string, string> = {
  CreateSchemaStmt: 'creates a schema',
  CreateSeqStmt: 'creates a sequence',
  AlterSeqStmt: 'alters a sequence',
  GrantStmt: 'changes privileges',
  GrantRoleStmt: 'changes role membership',
  CreateRoleStmt: 'creates a role',
  AlterRoleStmt: 'alters a role',
  CreatePolicyStmt: 'creates a row-level security policy',
  AlterPolicyStmt: 'alters a row-level security policy',
  CreatePublicationStmt: 'creates a publication',
  AlterPublicationStmt: 'alters a publication',
  AlterOwnerStmt: 'changes an owner',
  AlterObjectSchemaStmt: 'moves an object to another schema',
  LockStmt: 'locks a table',
  VacuumStmt: 'runs maintenance (VACUUM/ANALYZE)',
  ClusterStmt: 'reorders a table (CLUSTER)',
  ReindexStmt: 'rebuilds indexes',
  AlterDefaultPrivilegesStmt: 'changes default privileges',
};

/** Statements that change no schema and no data: session settings and transaction control. */
const NOT_OPERATIONS = new Set(['VariableSetStmt', 'TransactionStmt', 'CommentStmt', 'VariableShowStmt', 'CheckPointStmt']);

/** Functions a SELECT can call without changing anything (aggregates, lookups, formatting). */
const READ_ONLY_FUNCTIONS = new Set([
  'count', 'sum', 'min', 'max', 'avg', 'string_agg', 'array_agg', 'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg',
  'bool_and', 'bool_or', 'every', 'lower', 'upper', 'length', 'char_length', 'trim', 'btrim', 'ltrim', 'rtrim', 'substring', 'substr',
  'replace', 'concat', 'concat_ws', 'format', 'quote_ident', 'quote_literal', 'to_regclass', 'to_regtype', 'current_setting',
  'current_schema', 'now', 'jsonb_array_length', 'json_array_length', 'jsonb_typeof', 'jsonb_build_object', 'json_build_object',
  'array_length', 'cardinality', 'unnest', 'exists', 'abs', 'round', 'floor', 'ceil', 'greatest', 'least', 'nullif',
  'pg_get_indexdef', 'pg_get_constraintdef', 'has_table_privilege', 'version',
]);

/** Names of the functions a parse tree calls (`pg_catalog.lower` → lower). */
function functionsCalled(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) functionsCalled(item, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as PgNode)) {
      if (key === 'FuncCall') {
        const name = dotted(obj(value)?.funcname);
        if (name) into.push(name.replace(/^pg_catalog\./, '').toLowerCase());
      }
      functionsCalled(value, into);
    }
  }
  return into;
}

/** `OBJECT_MATVIEW` → "a materialized view", `OBJECT_INDEX` → "an index". */
function objectName(objectType: string): string {
  const words = objectType.replace('OBJECT_', '').toLowerCase().replace(/_/g, ' ').replace('matview', 'materialized view').replace('tabconstraint', 'constraint');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

function pgStatement(type: string, node: PgNode): Found[] {
  if (NOT_OPERATIONS.has(type)) return [];
  switch (type) {
    case 'AlterTableStmt':
      return pgAlterTable(node);
    case 'DropStmt': {
      const removeType = str(node.removeType) ?? '';
      const kind = DROP_KINDS[removeType] ?? 'other';
      const targets = arr(node.objects).map(dropTarget);
      const note = kind === 'other' || kind === 'alter_type' ? `drops ${objectName(removeType)}` : undefined;
      return (targets.length > 0 ? targets : [null]).map((t) => found(kind, kind === 'drop_table' || kind === 'remove_index' ? t : null, null, note));
    }
    case 'RenameStmt': {
      const renameType = str(node.renameType) ?? '';
      const kind = RENAME_KINDS[renameType] ?? 'other';
      const column = renameType === 'OBJECT_COLUMN' ? str(node.subname) : null;
      return [found(kind, relation(node.relation), column, kind === 'other' ? `renames ${objectName(renameType)}` : undefined)];
    }
    case 'CreateStmt':
    case 'IndexStmt':
      return [found(STATEMENT_KINDS[type]!, relation(node.relation))];
    case 'CreateTableAsStmt':
      return [found(str(node.objtype) === 'OBJECT_MATVIEW' ? 'other' : 'create_table', relation(obj(node.into)?.rel), null, str(node.objtype) === 'OBJECT_MATVIEW' ? 'creates a materialized view' : undefined)];
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
    case 'CopyStmt':
      return [found('data_change', relation(node.relation))];
    case 'SelectStmt': {
      // `SELECT 1` is the customary no-op (Ecto's `execute "…", "select 1"`) and reads change
      // nothing; a SELECT that calls other functions runs for their side effects
      // (`SELECT create_hypertable(…)`, `SELECT setval(…)`).
      const called = [...new Set(functionsCalled(node))].filter((f) => !READ_ONLY_FUNCTIONS.has(f));
      if (called.length === 0) return [];
      return [found('other', null, null, `a SELECT calling ${called.join(', ')} runs for its side effects`)];
    }
    case 'ViewStmt':
      return [found('other', relation(node.view), null, 'creates or replaces a view')];
    default: {
      const kind = STATEMENT_KINDS[type];
      if (kind) return [found(kind, relation(node.relation))];
      return [found('other', relation(node.relation), null, OTHER_NOTES[type] ?? `${type.replace(/Stmt$/, '')} statement`)];
    }
  }
}

function pgAlterTable(node: PgNode): Found[] {
  const table = relation(node.relation);
  const objtype = str(node.objtype);
  if (objtype !== null && objtype !== 'OBJECT_TABLE' && objtype !== 'OBJECT_FOREIGN_TABLE') {
    return [found(objtype === 'OBJECT_TYPE' ? 'alter_type' : 'other', table, null, `alters ${objectName(objtype)}`)];
  }
  const out: Found[] = [];
  for (const item of arr(node.cmds)) {
    const cmd = obj(obj(item)?.AlterTableCmd);
    if (!cmd) continue;
    const subtype = str(cmd.subtype) ?? '';
    const column = str(cmd.name);
    const def = obj(cmd.def);
    switch (subtype) {
      case 'AT_AddColumn':
      case 'AT_AddColumnToView': {
        const columnDef = obj(def?.ColumnDef);
        const references = arr(columnDef?.constraints).some((c) => str(obj(obj(c)?.Constraint)?.contype) === 'CONSTR_FOREIGN');
        out.push(found(references ? 'add_reference' : 'add_column', table, str(columnDef?.colname)));
        break;
      }
      case 'AT_DropColumn':
        out.push(found('remove_column', table, column));
        break;
      case 'AT_AlterColumnType':
        out.push(found('change_column_type', table, column));
        break;
      case 'AT_SetNotNull':
      case 'AT_DropNotNull':
        out.push(found('change_column_null', table, column));
        break;
      case 'AT_ColumnDefault':
      case 'AT_AddIdentity':
      case 'AT_SetIdentity':
      case 'AT_DropIdentity':
      case 'AT_DropExpression':
        out.push(found('change_column_default', table, column));
        break;
      case 'AT_AddConstraint': {
        const constraint = obj(def?.Constraint);
        const foreign = str(constraint?.contype) === 'CONSTR_FOREIGN';
        out.push(found(foreign ? 'add_foreign_key' : 'add_constraint', table, str(constraint?.conname)));
        break;
      }
      case 'AT_ValidateConstraint':
        out.push(found('add_constraint', table, column, 'validates a constraint'));
        break;
      case 'AT_DropConstraint':
        out.push(found('remove_constraint', table, column));
        break;
      case 'AT_AddIndex':
      case 'AT_AddIndexConstraint':
        out.push(found('add_index', table, null));
        break;
      default:
        if (/Trig/.test(subtype)) out.push(found('trigger_or_function', table, null, `ALTER TABLE ${subtype.replace('AT_', '')}`));
        else out.push(found('other', table, column, `ALTER TABLE ${subtype.replace('AT_', '')}`));
    }
  }
  return out;
}

// ---- MySQL (node-sql-parser AST) ----

type MyNode = { [key: string]: unknown };

function myTable(v: unknown): string | null {
  const t = obj(Array.isArray(v) ? v[0] : v) as MyNode | undefined;
  if (!t) return null;
  const name = str(t.table);
  if (name === null) return null;
  return str(t.db) ? `${t.db as string}.${name}` : name;
}

function myColumn(v: unknown): string | null {
  const c = obj(v);
  if (!c) return null;
  const column = c.column;
  if (typeof column === 'string') return column;
  const expr = obj(obj(column)?.expr);
  return str(expr?.value);
}

function mysqlStatement(node: MyNode): Found[] {
  const type = str(node.type);
  const keyword = (str(node.keyword) ?? '').toLowerCase();
  switch (type) {
    case 'create':
      if (keyword === 'table') return [found('create_table', myTable(node.table))];
      if (keyword === 'index') return [found('add_index', myTable(node.table))];
      if (keyword === 'trigger' || keyword === 'procedure' || keyword === 'function') return [found('trigger_or_function', myTable(node.table))];
      return [found('other', null, null, `CREATE ${keyword.toUpperCase()}`)];
    case 'drop':
      if (keyword === 'table') return arr(node.name).map((t) => found('drop_table', myTable(t)));
      if (keyword === 'index') return [found('remove_index', myTable(node.table))];
      if (keyword === 'trigger' || keyword === 'procedure' || keyword === 'function') return [found('trigger_or_function')];
      return [found('other', null, null, `DROP ${keyword.toUpperCase()}`)];
    case 'rename':
      return arr(node.table).map((pair) => found('rename_table', myTable(arr(pair)[0])));
    case 'insert':
    case 'replace':
    case 'update':
    case 'delete':
      return [found('data_change', myTable(node.table))];
    case 'set':
    case 'use':
      return [];
    case 'alter':
      return arr(node.expr).map((e) => mysqlAlter(myTable(node.table), obj(e) ?? {}));
    default:
      return [found('other', null, null, `${(type ?? 'unknown').toUpperCase()} statement`)];
  }
}

function mysqlAlter(table: string | null, expr: MyNode): Found {
  const action = str(expr.action);
  const resource = str(expr.resource);
  if (resource === 'column') {
    const column = myColumn(expr.column);
    if (action === 'add') return found(expr.reference_definition ? 'add_reference' : 'add_column', table, column);
    if (action === 'drop') return found('remove_column', table, column);
    if (action === 'modify') return found('change_column_type', table, column);
    if (action === 'rename') return found('rename_column', table, myColumn(expr.old_column));
    if (action === 'change') {
      const old = myColumn(expr.old_column);
      return old !== null && old !== column ? found('rename_column', table, old) : found('change_column_type', table, column);
    }
  }
  if (resource === 'index' || resource === 'key' || resource === 'fulltext' || resource === 'spatial') {
    if (action === 'add') return found('add_index', table);
    if (action === 'drop') return found('remove_index', table);
  }
  if (resource === 'constraint' || resource === 'primary key' || resource === 'foreign key' || resource === 'check') {
    const definition = obj(expr.create_definitions);
    const foreign = /FOREIGN/i.test(str(definition?.constraint_type) ?? '') || resource === 'foreign key';
    if (action === 'add') return found(foreign ? 'add_foreign_key' : 'add_constraint', table);
    if (action === 'drop') return found('remove_constraint', table);
  }
  if (resource === 'table' && action === 'rename') return found('rename_table', table);
  return found('other', table, null, `ALTER TABLE ${(action ?? '').toUpperCase()} ${(resource ?? '').toUpperCase()}`.trim());
}

// ---- .sql migration files ----

const SECTION = /^\s*--\s*(?:\+goose|\+migrate)\s+(Up|Down|StatementBegin|StatementEnd)\b|^\s*--\s*migrate:(up|down)\b/i;

/** Files that are entirely rollback: golang-migrate `*.down.sql`, Flyway undo `U<n>__*.sql`. */
export function isRollbackFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /\.down\.sql$/i.test(name) || /^U\d[^/]*__/.test(name);
}

/**
 * A .sql migration. goose (`-- +goose Up/Down`, `StatementBegin/End`), sql-migrate
 * (`-- +migrate …`) and dbmate (`-- migrate:up/down`) annotate sections line by line, so the
 * annotations are read per line, exactly as those tools read them; the SQL between them is split
 * and parsed.
 */
export function sqlFileOperations(content: string, path: string): MigrationOperation[] {
  const mysql = looksLikeMysql(content);
  let direction: Direction = isRollbackFile(path) ? 'rollback' : 'forward';
  const ops: MigrationOperation[] = [];
  if (!/\+goose|\+migrate|migrate:(?:up|down)/i.test(content)) return sqlOperations(content, { line: 1, direction }, { mysql });

  let block: string[] = [];
  let blockLine = 1;
  let atomic = false;
  const flush = (): void => {
    const text = block.join('\n');
    if (text.trim() !== '') {
      if (atomic) {
        const lead = text.length - text.trimStart().length;
        ops.push(...statementOperations(text.trim(), { line: blockLine + lineAt(text, lead) - 1, direction }));
      } else {
        ops.push(...sqlOperations(text, { line: blockLine, direction }, { mysql }));
      }
    }
    block = [];
  };
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const marker = SECTION.exec(line);
    if (!marker) {
      if (block.length === 0) blockLine = index + 1;
      block.push(line);
      continue;
    }
    flush();
    const word = (marker[1] ?? marker[2] ?? '').toLowerCase();
    if (word === 'up') direction = 'forward';
    else if (word === 'down') direction = 'rollback';
    else atomic = word === 'statementbegin';
    blockLine = index + 2;
  }
  flush();
  return ops;
}
