// Owns Ecto migrations (priv/repo/migrations/*.exs), read as an Elixir syntax tree: `create`,
// `alter`, `drop`, `rename` of tables, indexes and constraints, the column commands inside
// `alter table`, `execute` (its SQL parsed; the second argument is the rollback), and data
// changes through the repo. Code in `def down` is rollback.

import { operation, type Direction } from './operation';
import type { Node } from './parsers';
import { checkBudget, forEachCandidate, unknownCall, childOfType, embeddedSql, sourceOf, lineOf, opaqueSql, stringParts, withTree, type StringValue } from './syntax';
import type { MigrationOperation, OperationKind } from './types';

const REPO_DATA = new Set(['insert', 'insert!', 'insert_all', 'update', 'update!', 'update_all', 'delete', 'delete!', 'delete_all', 'insert_or_update', 'insert_or_update!']);
const REPO_SQL = new Set(['query', 'query!']);

interface Context {
  direction: Direction;
  ops: MigrationOperation[];
  attributes: Map<string, Node>;
}

export function ectoOperations(content: string): MigrationOperation[] {
  return withTree('elixir', content, (root) => {
    const ops: MigrationOperation[] = [];
    const attributes = moduleAttributes(root);
    // Functions defined in the file are read where they are defined.
    const local = new Set([...content.matchAll(/\bdefp?\s+([a-z_][\w?!]*)/g)].map((m) => m[1]!));
    forEachCandidate(root, ['call'], migrationFunction, (node, direction, inFunction) => {
      if (readCall(node, { direction, ops, attributes })) return true;
      // A helper from elsewhere called as a statement of up/change/down may do anything: fail safe.
      if (!inFunction || node.parent?.type !== 'do_block') return false;
      const target = node.childForFieldName('target');
      const fn = target?.type === 'identifier' ? target.text : undefined;
      const remote = target?.type === 'dot' ? target.childForFieldName('left')?.text : undefined;
      const unknownLocal = fn !== undefined && !HARMLESS.has(fn) && !local.has(fn);
      const unknownRemote = remote !== undefined && !HARMLESS_MODULES.has(remote) && !remote.startsWith(':');
      if (unknownLocal || unknownRemote) {
        ops.push(unknownCall(node, fn ?? target!.text, direction));
        return true;
      }
      return false;
    });
    return ops;
  });
}

const args = (call: Node): Node[] => (childOfType(call, 'arguments')?.namedChildren ?? []).filter((n): n is Node => n !== null);
const positional = (call: Node): Node[] => args(call).filter((n) => n.type !== 'keywords');

function keyword(call: Node, key: string): Node | undefined {
  for (const list of args(call)) {
    if (list.type !== 'keywords') continue;
    for (const pair of list.namedChildren) {
      if (pair?.childForFieldName('key')?.text.replace(/:\s*$/, '') === key) return pair.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

function callName(node: Node | undefined): string | undefined {
  if (node?.type !== 'call') return undefined;
  const target = node.childForFieldName('target');
  return target?.type === 'identifier' ? target.text : undefined;
}

/** `@sql "..."` definitions, so `execute @sql` can be read. */
function moduleAttributes(root: Node): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const op of root.descendantsOfType('unary_operator')) {
    const call = op?.childForFieldName('operand');
    if (!op || op.text[0] !== '@' || call?.type !== 'call') continue;
    const name = callName(call);
    const value = positional(call)[0];
    if (name && value) found.set(name, value);
  }
  return found;
}

/** `:users` → users, `"users"` → users, `"#{prefix}_users"` → #{…}_users, anything else as written. */
function name(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'atom') return node.text.replace(/^:"?|"$/g, '');
  if (node.type === 'string') return stringParts(node).text.split('__interpolated__').join('#{…}');
  return node.text;
}

/** A table as a migration names it: `table(:users, prefix: "tenant")` → tenant.users. */
interface TableRef {
  table: string | null;
  /** A prefix only known at run time (`prefix: @config_schema`, a variable): not part of the table's name. */
  dynamicPrefix?: string;
}

function tableName(ref: Node): TableRef {
  const table = name(positional(ref)[0]);
  const prefix = keyword(ref, 'prefix');
  if (!prefix || table === null) return { table };
  const literal = prefix.type === 'atom' || (prefix.type === 'string' && !prefix.text.includes('#{'));
  return literal ? { table: `${name(prefix)}.${table}` } : { table, dynamicPrefix: prefix.text };
}

function columnsOf(ref: Node): string | null {
  const list = positional(ref)[1];
  if (!list) return null;
  if (list.type === 'list') return list.namedChildren.map((c) => name(c ?? undefined)).join(', ');
  return name(list);
}

/** Nodes that hold no migration operation: not descended into (each visit crosses into WebAssembly). */
const LEAVES = new Set(['comment', 'atom', 'quoted_atom', 'string', 'charlist', 'sigil', 'integer', 'float', 'identifier', 'alias', 'boolean', 'nil', 'keyword', 'char']);

/** `def up`/`def change` are forward, `def down` is rollback. */
function migrationFunction(node: Node): Direction | undefined {
  if (!node.text.startsWith('def ')) return undefined;
  if (callName(node) !== 'def') return undefined;
  const head = positional(node)[0];
  const name = head?.type === 'call' ? callName(head) : head?.text;
  return name === 'down' ? 'rollback' : name === 'up' || name === 'change' ? 'forward' : undefined;
}

/** Modules whose functions change no schema (their callbacks, as in Enum.each, are read on their own). */
const HARMLESS_MODULES = new Set(['IO', 'Logger', 'Application', 'Enum', 'Stream', 'Process', 'String', 'Kernel', 'Code', 'Map', 'Keyword', 'List', 'System']);

/** Calls in a migration function that change nothing, or whose blocks are read on their own. */
const HARMLESS = new Set(['flush', 'require', 'import', 'alias', 'if', 'unless', 'case', 'cond', 'for', 'with', 'try', 'raise', 'dbg', 'inspect', 'fn']);

/** A call the analyser reads whole (true), or one whose inner calls are read on their own (false). */
function readCall(node: Node, ctx: Context): boolean {
  const target = node.childForFieldName('target');
  if (target?.type === 'identifier') return handleCall(target.text, node, ctx);
  if (target?.type === 'dot') return handleRepoCall(target, node, ctx);
  return false;
}

/** Walks a node read whole (a function passed to `execute`, an unknown command in `alter`). */
function visit(node: Node, ctx: Context): void {
  checkBudget();
  const type = node.type;
  if (LEAVES.has(type)) return;
  if (type === 'call' && readCall(node, ctx)) return;
  for (const child of node.namedChildren) if (child) visit(child, ctx);
}

function add(ctx: Context, kind: OperationKind, node: Node, table: TableRef | string | null, column: string | null = null, note?: string): void {
  const ref = typeof table === 'object' && table !== null ? table : { table };
  const op = operation(kind, { line: lineOf(node), direction: ctx.direction, source: sourceOf(node) }, ref.table, column, note);
  if (ref.dynamicPrefix) op.dynamicPrefix = ref.dynamicPrefix;
  ctx.ops.push(op);
}

function handleCall(fn: string, node: Node, ctx: Context): boolean {
  switch (fn) {
    case 'create':
    case 'create_if_not_exists':
    case 'drop':
    case 'drop_if_exists': {
      const ref = positional(node)[0];
      const what = callName(ref);
      const creating = fn.startsWith('create');
      const kinds: Record<string, [OperationKind, OperationKind]> = {
        table: ['create_table', 'drop_table'],
        index: ['add_index', 'remove_index'],
        unique_index: ['add_index', 'remove_index'],
        constraint: ['add_constraint', 'remove_constraint'],
      };
      const pair = what ? kinds[what] : undefined;
      if (!ref || !pair) {
        add(ctx, 'other', node, null, null, `\`${fn}\` of something the analyser does not know`);
        return true;
      }
      const column = what === 'table' ? null : what === 'constraint' ? name(positional(ref)[1]) : columnsOf(ref);
      add(ctx, creating ? pair[0] : pair[1], node, tableName(ref), column);
      return true;
    }
    case 'alter': {
      const ref = positional(node)[0];
      const table = ref && callName(ref) === 'table' ? tableName(ref) : { table: null };
      const body = childOfType(node, 'do_block');
      if (body) for (const child of body.namedChildren) if (child) alterCommand(child, table, ctx);
      return true;
    }
    case 'rename': {
      const [ref, second] = positional(node);
      const to = keyword(node, 'to');
      if (ref && callName(ref) === 'table' && second) add(ctx, 'rename_column', node, tableName(ref), name(second), to ? `to ${name(to)}` : undefined);
      else if (ref && callName(ref) === 'table') add(ctx, 'rename_table', node, tableName(ref), null, to && callName(to) === 'table' ? `to ${tableName(to).table}` : undefined);
      else add(ctx, 'other', node, ref && callName(ref) === 'index' ? tableName(ref) : null, null, 'renames an index or another object');
      return true;
    }
    case 'execute': {
      const [forward, backward] = positional(node);
      if (forward) executeArgument(forward, ctx.direction, ctx);
      if (backward) executeArgument(backward, 'rollback', ctx);
      return true;
    }
    case 'flush':
      return true;
    default:
      return false;
  }
}

function alterCommand(node: Node, table: TableRef, ctx: Context): void {
  const fn = node.type === 'identifier' ? node.text : callName(node);
  switch (fn) {
    case 'add':
    case 'add_if_not_exists': {
      const [column, type] = positional(node);
      add(ctx, callName(type) === 'references' ? 'add_reference' : 'add_column', node, table, name(column));
      return;
    }
    case 'remove':
    case 'remove_if_exists':
      add(ctx, 'remove_column', node, table, name(positional(node)[0]));
      return;
    case 'timestamps':
      add(ctx, 'add_column', node, table, 'inserted_at, updated_at');
      return;
    case 'modify': {
      const [column, type] = positional(node);
      add(ctx, modifyKind(node, type), node, table, name(column));
      return;
    }
    default:
      visit(node, ctx);
  }
}

/**
 * `modify` always restates the type. With `from:` the analyser can tell a type change from a
 * change of null or default only; without it, a type change is the safe reading.
 */
function modifyKind(node: Node, type: Node | undefined): OperationKind {
  if (callName(type) === 'references') return 'add_foreign_key';
  const from = keyword(node, 'from');
  if (!from || !type) return 'change_column_type';
  const fromType = from.type === 'tuple' ? from.namedChildren[0] : from;
  if (fromType && fromType.text !== type.text) return 'change_column_type';
  if (keyword(node, 'null')) return 'change_column_null';
  if (keyword(node, 'default')) return 'change_column_default';
  return 'change_column_type';
}

function stringValue(node: Node, attributes: Map<string, Node>): StringValue | undefined {
  if (node.type === 'unary_operator' && node.text.startsWith('@')) {
    const attr = attributes.get(callName(node.childForFieldName('operand') ?? undefined) ?? node.text.slice(1));
    return attr ? stringValue(attr, new Map()) : undefined;
  }
  if (node.type === 'string' || node.type === 'charlist') return stringParts(node);
  if (node.type === 'sigil') {
    const sigil = childOfType(node, 'sigil_name')?.text;
    // ~s and ~S are strings; other sigils (~w, ~r) are not SQL.
    if (sigil === 's' || sigil === 'S') return stringParts(node);
  }
  return undefined;
}

function executeArgument(node: Node, direction: Direction, ctx: Context): void {
  const value = stringValue(node, ctx.attributes);
  if (value) {
    ctx.ops.push(...embeddedSql(value, direction, '#{…}'));
    return;
  }
  if (node.type === 'anonymous_function' || node.type === 'unary_operator') {
    // `execute(fn -> repo().query!(...) end)`: read what the function does.
    const inner: Context = { ...ctx, direction, ops: [] };
    visit(node, inner);
    if (inner.ops.length > 0) ctx.ops.push(...inner.ops);
    else ctx.ops.push(operation('other', { line: lineOf(node), direction, source: sourceOf(node) }, null, null, 'runs Elixir code at migration time'));
    return;
  }
  ctx.ops.push(opaqueSql(node, direction, 'the argument of `execute`'));
}

/** `repo().update_all(...)`, `Repo.insert_all(...)`, `repo().query!("…")`. */
function handleRepoCall(target: Node, node: Node, ctx: Context): boolean {
  const fn = target.childForFieldName('right')?.text;
  const receiver = target.childForFieldName('left')?.text ?? '';
  if (!fn || !/repo/i.test(receiver)) return false;
  if (REPO_SQL.has(fn)) {
    const sql = positional(node)[0];
    if (sql) executeArgument(sql, ctx.direction, ctx);
    return true;
  }
  if (REPO_DATA.has(fn)) {
    const table = positional(node)[0];
    add(ctx, 'data_change', node, table?.type === 'string' || table?.type === 'atom' ? name(table) : null);
    return true;
  }
  return false;
}
