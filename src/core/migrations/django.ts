// Owns Django migrations (<app>/migrations/NNNN_*.py), read as a Python syntax tree: each entry
// of the `operations` list, with `AddField` told apart by its field (a plain column versus a
// ForeignKey), `RunSQL` with its SQL parsed (`reverse_sql` is rollback) and `RunPython` as a data
// change. `SeparateDatabaseAndState` counts only its database operations.

import { operation, type Direction } from './operation';
import type { Node } from './parsers';
import { checkBudget, concatenated, embeddedSql, lineOf, opaqueSql, stringParts, withTree, type StringValue } from './syntax';
import type { MigrationOperation, OperationKind } from './types';

const OPERATIONS: Record<string, OperationKind> = {
  AddField: 'add_column',
  RemoveField: 'remove_column',
  AlterField: 'change_column_type',
  RenameField: 'rename_column',
  CreateModel: 'create_table',
  DeleteModel: 'drop_table',
  RenameModel: 'rename_table',
  AlterModelTable: 'rename_table',
  AlterModelTableComment: 'other',
  AddIndex: 'add_index',
  AddIndexConcurrently: 'add_index',
  RemoveIndex: 'remove_index',
  RemoveIndexConcurrently: 'remove_index',
  RenameIndex: 'other',
  AlterIndexTogether: 'add_index',
  AlterUniqueTogether: 'add_constraint',
  AddConstraint: 'add_constraint',
  AddConstraintNotValid: 'add_constraint',
  ValidateConstraint: 'add_constraint',
  RemoveConstraint: 'remove_constraint',
  AlterOrderWithRespectTo: 'add_column',
  CreateExtension: 'extension',
  BloomExtension: 'extension',
  BtreeGinExtension: 'extension',
  BtreeGistExtension: 'extension',
  CITextExtension: 'extension',
  CryptoExtension: 'extension',
  HStoreExtension: 'extension',
  TrigramExtension: 'extension',
  UnaccentExtension: 'extension',
  CreateCollation: 'other',
  RemoveCollation: 'other',
};
/** State-only operations: they change Django's model state, not the database. */
const STATE_ONLY = new Set(['AlterModelOptions', 'AlterModelManagers']);
/** Fields that add a foreign key column; ManyToManyField adds a join table instead. */
const REFERENCE_FIELDS = new Set(['ForeignKey', 'OneToOneField', 'ParentalKey', 'TreeForeignKey']);
const NOTES: Partial<Record<string, string>> = {
  AlterField: 'AlterField can change the column type, null or default',
  AlterUniqueTogether: 'unique_together adds or removes unique constraints',
  AlterIndexTogether: 'index_together adds or removes indexes',
  AlterOrderWithRespectTo: 'adds the _order column',
  RenameIndex: 'renames an index',
};

/** Operations that name their model `name` (the others say `model_name`). */
const MODEL_BY_NAME = new Set(['CreateModel', 'DeleteModel', 'AlterModelTable', 'AlterModelTableComment', 'AlterUniqueTogether', 'AlterIndexTogether', 'AlterOrderWithRespectTo']);

interface Context {
  direction: Direction;
  ops: MigrationOperation[];
  values: Map<string, Node>;
}

export function djangoOperations(content: string): MigrationOperation[] {
  return withTree('python', content, (root) => {
    const bindings = root.descendantsOfType('assignment').filter((n): n is Node => n !== null);
    const ctx: Context = { direction: 'forward', ops: [], values: assignments(bindings) };
    const lists = operationLists(bindings);
    if (lists.length > 0) for (const list of lists) operationList(list, ctx);
    else for (const call of root.descendantsOfType('call')) if (call && operationName(call)) operationCall(call, ctx);
    return ctx.ops;
  });
}

/** Names bound at module or class level: `operations = [...]`, `SQL = "..."`. */
function assignments(bindings: Node[]): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const node of bindings) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type === 'identifier' && right) map.set(left.text, right);
  }
  return map;
}

/** The `operations = [...]` lists (a class attribute of `Migration`; occasionally built with `+`). */
function operationLists(bindings: Node[]): Node[] {
  const lists: Node[] = [];
  for (const node of bindings) {
    if (node.childForFieldName('left')?.text !== 'operations') continue;
    const right = node.childForFieldName('right');
    if (right) lists.push(right);
  }
  return lists;
}

function operationList(node: Node, ctx: Context): void {
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) {
    operationList(node.namedChildren[0], ctx);
  } else if (node.type === 'list' || node.type === 'tuple') {
    for (const item of node.namedChildren) if (item && item.type !== 'comment') operationItem(item, ctx);
  } else if (node.type === 'binary_operator') {
    for (const side of [node.childForFieldName('left'), node.childForFieldName('right')]) if (side) operationList(side, ctx);
  } else if (node.type === 'identifier' && ctx.values.has(node.text)) {
    operationList(ctx.values.get(node.text)!, ctx);
  } else {
    operationItem(node, ctx);
  }
}

function operationItem(item: Node, ctx: Context): void {
  checkBudget();
  if (item.type === 'call') {
    operationCall(item, ctx);
    return;
  }
  if (item.type === 'list_splat' || item.type === 'list_comprehension') {
    add(ctx, 'other', item, null, null, 'operations built by code are not analysed');
    return;
  }
  add(ctx, 'other', item, null, null, 'not an operation the analyser can read');
}

/** `migrations.AddField` → AddField, `AddField` → AddField, `operations.AddIndexConcurrently` → … */
function operationName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const last = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.type === 'identifier' ? fn.text : undefined;
  if (!last) return undefined;
  if (last in OPERATIONS || STATE_ONLY.has(last) || ['RunSQL', 'RunPython', 'SeparateDatabaseAndState'].includes(last)) return last;
  return undefined;
}

const argList = (call: Node): Node[] => (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => n !== null && n.type !== 'comment');

interface Arguments {
  keywords: Map<string, Node>;
  positional: Node[];
}
/** Each call's arguments, read once (every lookup crosses into WebAssembly). */
const argumentsRead = new WeakMap<Node, Arguments>();

function argumentsOf(call: Node): Arguments {
  let read = argumentsRead.get(call);
  if (!read) {
    read = { keywords: new Map(), positional: [] };
    for (const arg of argList(call)) {
      const type = arg.type;
      if (type === 'keyword_argument') {
        const key = /^\s*(\w+)\s*=/.exec(arg.text)?.[1];
        if (key) read.keywords.set(key, arg);
      } else if (type !== 'dictionary_splat' && type !== 'list_splat') {
        read.positional.push(arg);
      }
    }
    argumentsRead.set(call, read);
  }
  return read;
}

/** An argument by keyword, or by its position when passed positionally. */
function argument(call: Node, key: string, position: number): Node | undefined {
  const read = argumentsOf(call);
  const keyword = read.keywords.get(key);
  if (keyword) return keyword.childForFieldName('value') ?? undefined;
  return read.positional[position];
}

function text(node: Node | undefined): string | null {
  if (!node) return null;
  if (node.type === 'string') return stringParts(node).text;
  return node.text;
}

function add(ctx: Context, kind: OperationKind, node: Node, table: string | null, column: string | null = null, note?: string): void {
  ctx.ops.push(operation(kind, { line: lineOf(node), direction: ctx.direction, source: node.text }, table, column, note));
}

/** `models.ForeignKey(...)` → ForeignKey */
function fieldClass(field: Node | undefined): string | undefined {
  if (field?.type !== 'call') return undefined;
  const fn = field.childForFieldName('function');
  return fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
}

function operationCall(call: Node, ctx: Context): void {
  const op = operationName(call);
  if (!op) {
    add(ctx, 'other', call, null, null, `\`${call.childForFieldName('function')?.text ?? '?'}\` is not an operation the analyser knows`);
    return;
  }
  if (STATE_ONLY.has(op)) return;
  const model = text(argument(call, MODEL_BY_NAME.has(op) ? 'name' : op === 'RenameModel' ? 'old_name' : 'model_name', 0));
  switch (op) {
    case 'RunSQL': {
      const forward = argument(call, 'sql', 0);
      const reverse = argument(call, 'reverse_sql', 1);
      if (forward) sqlArgument(forward, ctx.direction, ctx);
      if (reverse) sqlArgument(reverse, 'rollback', ctx);
      return;
    }
    case 'RunPython': {
      add(ctx, 'data_change', call, null, null, 'RunPython runs Python code at migration time');
      const reverse = argument(call, 'reverse_code', 1);
      if (reverse && !/\bnoop$/.test(reverse.text)) add({ ...ctx, direction: 'rollback' }, 'data_change', reverse, null, null, 'RunPython reverse code');
      return;
    }
    case 'SeparateDatabaseAndState': {
      const database = argument(call, 'database_operations', 0);
      if (database) operationList(database, ctx);
      return;
    }
    case 'AddField': {
      const field = argument(call, 'field', 2);
      const cls = fieldClass(field);
      const kind: OperationKind = cls && REFERENCE_FIELDS.has(cls) ? 'add_reference' : cls === 'ManyToManyField' ? 'create_table' : 'add_column';
      add(ctx, kind, call, model, text(argument(call, 'name', 1)), cls === 'ManyToManyField' ? 'a ManyToManyField creates a join table' : undefined);
      return;
    }
    case 'RemoveField':
    case 'AlterField':
      add(ctx, OPERATIONS[op]!, call, model, text(argument(call, 'name', 1)), NOTES[op]);
      return;
    case 'RenameField':
      add(ctx, 'rename_column', call, model, text(argument(call, 'old_name', 1)));
      return;
    default:
      add(ctx, OPERATIONS[op]!, call, model, null, NOTES[op]);
  }
}

function stringValue(node: Node, ctx: Context, depth = 0): StringValue | undefined {
  if (depth > 20) return undefined;
  if (node.type === 'string') return stringParts(node);
  if (node.type === 'concatenated_string' || (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+')) {
    const parts = node.type === 'binary_operator' ? [node.childForFieldName('left'), node.childForFieldName('right')] : node.namedChildren;
    return concatenated(parts, (part) => stringValue(part, ctx, depth + 1));
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return stringValue(node.namedChildren[0], ctx, depth + 1);
  if (node.type === 'identifier' && ctx.values.has(node.text)) return stringValue(ctx.values.get(node.text)!, ctx, depth + 1);
  return undefined;
}

/** RunSQL takes a string, a list of strings, or a list of `(sql, params)` tuples; `RunSQL.noop` is nothing. */
function sqlArgument(node: Node, direction: Direction, ctx: Context, withParams = false): void {
  if (/\bnoop$/.test(node.text)) return;
  if (node.type === 'list' || node.type === 'tuple') {
    const items = node.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
    // `("sql", [params])` as a whole is one statement with parameters.
    if (node.type === 'tuple' && items.length === 2 && items[1]!.type !== 'string') return sqlArgument(items[0]!, direction, ctx, true);
    for (const item of items) sqlArgument(item, direction, ctx);
    return;
  }
  const value = stringValue(node, ctx);
  // With parameters, the database driver substitutes `%s` / `%(name)s` and unescapes `%%`:
  // PostgreSQL's grammar reads a parameter as `$1`.
  if (value && withParams) value.text = value.text.replace(/%\(\w+\)s|%s/g, '$$1').replace(/%%/g, '%');
  if (value) ctx.ops.push(...embeddedSql(value, direction, '{…}'));
  else ctx.ops.push(opaqueSql(node, direction, 'the SQL of RunSQL'));
}
