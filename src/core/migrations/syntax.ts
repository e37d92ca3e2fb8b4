// Owns what the Ruby, Elixir, Python and JS/TS analysers share about syntax trees: lines,
// syntax errors, and turning string literals (with interpolation and escapes) into the SQL
// they carry.

import { ANALYSIS_BUDGET_MS, operation, overBudget, unparsed, type Direction } from './operation';
import { parseSource, type Node, type SourceLanguage } from './parsers';
import { sqlOperations } from './sql';
import type { MigrationOperation } from './types';

export const lineOf = (node: Node): number => node.startPosition.row + 1;

/** Stands in for an interpolated value so the SQL around it still parses (as an identifier). */
export const PLACEHOLDER = '__interpolated__';

/** Parses a source file and hands its root to `read`; the tree's memory is always freed. */
export function withTree(language: SourceLanguage, content: string, read: (root: Node) => MigrationOperation[]): MigrationOperation[] {
  const tree = parseSource(language, content);
  if (!tree) return [unparsed({ line: 1, direction: 'forward', source: '' }, `parsing the file took longer than ${ANALYSIS_BUDGET_MS / 1000} s, so it was not analysed`)];
  try {
    let ops: MigrationOperation[];
    try {
      ops = read(tree.rootNode);
    } catch (err) {
      if (!(err instanceof OutOfTime)) throw err;
      return [unparsed({ line: 1, direction: 'forward', source: '' }, `reading the file took longer than ${ANALYSIS_BUDGET_MS / 1000} s, so it was not analysed`)];
    }
    const error = firstError(tree.rootNode);
    if (error) {
      ops.push(
        unparsed(
          { line: lineOf(error), direction: 'forward', source: error.text.split('\n')[0] ?? '' },
          `the ${language} source has a syntax error here, so operations may be missing`,
        ),
      );
    }
    return ops;
  } finally {
    tree.delete();
  }
}

class OutOfTime extends Error {}

/** Called as a tree walk enters a node: stops the walk once the file's time budget is spent. */
export function checkBudget(): void {
  if (overBudget()) throw new OutOfTime('over budget');
}

/**
 * Visits the nodes of the given types in document order. The parser finds them (one call into
 * WebAssembly) instead of JavaScript walking every node, which dominated the analysis time.
 * `scopeOf` says which nodes are migration functions (`up`/`change` forward, `down` rollback);
 * `handle` gets each other candidate with the direction of the function it is in (forward
 * outside any) and whether it is in one, and returns true when it has read the node whole:
 * candidates inside it are then skipped.
 */
export function forEachCandidate(
  root: Node,
  types: string[],
  scopeOf: (node: Node) => Direction | undefined,
  handle: (node: Node, direction: Direction, inMigrationFunction: boolean) => boolean,
): void {
  let consumedEnd = -1;
  const scopes: Array<{ end: number; direction: Direction }> = [];
  for (const node of root.descendantsOfType(types)) {
    if (!node) continue;
    const start = node.startIndex;
    if (start < consumedEnd) continue;
    while (scopes.length > 0 && start >= scopes[scopes.length - 1]!.end) scopes.pop();
    checkBudget();
    const scope = scopeOf(node);
    if (scope) {
      scopes.push({ end: node.endIndex, direction: scope });
      continue;
    }
    const inner = scopes[scopes.length - 1];
    if (handle(node, inner?.direction ?? 'forward', inner !== undefined)) consumedEnd = node.endIndex;
  }
}

/** A call the analyser cannot follow (a helper): counted as beyond, and says so. */
export function unknownCall(node: Node, name: string, direction: Direction): MigrationOperation {
  return operation('other', { line: lineOf(node), direction, source: sourceOf(node) }, null, null, `calls \`${name}\`, which the analyser cannot follow`);
}

function firstError(root: Node): Node | undefined {
  if (!root.hasError) return undefined;
  let node: Node = root;
  for (;;) {
    if (node.type === 'ERROR' || node.isMissing) return node;
    const next = node.children.find((c) => c !== null && (c.hasError || c.isMissing || c.type === 'ERROR'));
    if (!next) return node;
    node = next;
  }
}

/** Node types that hold a block of code passed to a call (`do … end`, `{ … }`). */
const BLOCKS = new Set(['do_block', 'block', 'arrow_function', 'function_expression', 'function']);

/**
 * The source of a call for messages: the call up to any block it takes (`create table(:x) do`),
 * so a multi-line call reads whole while a block's contents are left out.
 */
export function sourceOf(node: Node): string {
  let end = node.endIndex;
  for (const child of node.namedChildren) {
    if (child && BLOCKS.has(child.type)) {
      end = Math.min(end, child.startIndex);
      break;
    }
  }
  return node.text.slice(0, end - node.startIndex);
}

/** The first child of a given type (tree-sitter names some children by type, not field). */
export function childOfType(node: Node, type: string): Node | undefined {
  for (const child of node.namedChildren) if (child?.type === type) return child;
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', s: ' ', e: '\x1b' };

/** `\n` → newline, `\"` → `"`: what the language makes of an escape inside a string. */
export function unescape(sequence: string): string {
  const c = sequence.slice(1);
  if (c.length === 1) return SIMPLE_ESCAPES[c] ?? c;
  return sequence;
}

export interface StringValue {
  text: string;
  /** 1-based line of the text's first character. */
  line: number;
  interpolated: boolean;
}

/** Node types that hold literal characters of a string, per grammar. */
const CONTENT = new Set(['quoted_content', 'string_content', 'string_fragment', 'heredoc_content']);
const INTERPOLATION = new Set(['interpolation', 'template_substitution']);

/**
 * The value of a string literal built from content, escape and interpolation parts (Ruby and
 * Elixir strings and heredoc bodies, Python strings, JS strings and template literals).
 */
export function stringParts(node: Node): StringValue {
  let text = '';
  let line = -1;
  let interpolated = false;
  let sawPart = false;
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (CONTENT.has(part.type)) text += contentText(part);
    else if (part.type === 'escape_sequence') text += unescape(part.text);
    else if (INTERPOLATION.has(part.type)) {
      // `#{' '}` (a literal, often added by linters to keep trailing spaces) is its own value.
      const inner = part.namedChildren.filter((c) => c !== null && c.type !== 'comment');
      if (inner.length === 1 && inner[0]!.type === 'string' && !inner[0]!.namedChildren.some((c) => c !== null && INTERPOLATION.has(c.type))) {
        text += stringParts(inner[0]!).text;
      } else {
        text += PLACEHOLDER;
        interpolated = true;
      }
    } else continue;
    if (!sawPart) line = lineOf(part);
    sawPart = true;
  }
  return { text, line: line === -1 ? lineOf(node) : line, interpolated };
}

/** Content with its escapes decoded (Python nests escape sequences inside string_content). */
function contentText(content: Node): string {
  if (content.namedChildCount === 0) return content.text;
  let text = '';
  let at = content.startIndex;
  const whole = content.text;
  for (const child of content.namedChildren) {
    if (!child) continue;
    text += whole.slice(at - content.startIndex, child.startIndex - content.startIndex);
    text += child.type === 'escape_sequence' ? unescape(child.text) : child.type === 'interpolation' ? PLACEHOLDER : child.text;
    at = child.endIndex;
  }
  return text + whole.slice(at - content.startIndex);
}

/** SQL operations of a string value; interpolations show as `display` in what is reported. */
/** The value of `a + b + …` (or adjacent literals): each part's value joined, or undefined when any part is unknown. */
export function concatenated(parts: readonly (Node | null)[], valueOf: (part: Node) => StringValue | undefined): StringValue | undefined {
  let result: StringValue | undefined;
  for (const part of parts) {
    const value = part ? valueOf(part) : undefined;
    if (!value) return undefined;
    result = result ? { text: result.text + value.text, line: result.line, interpolated: result.interpolated || value.interpolated } : value;
  }
  return result;
}

export function embeddedSql(value: StringValue, direction: Direction, display: string): MigrationOperation[] {
  const ops = sqlOperations(value.text, { line: value.line, direction });
  if (!value.interpolated) return ops;
  const show = (s: string | null): string | null => (s === null ? null : s.split(PLACEHOLDER).join(display));
  for (const op of ops) {
    op.source = show(op.source)!;
    op.table = show(op.table);
    op.column = show(op.column);
  }
  return ops;
}

/** SQL the analyser cannot see (a variable, a function call): reported, counted as beyond. */
export function opaqueSql(node: Node, direction: Direction, what: string): MigrationOperation {
  return operation('raw_sql', { line: lineOf(node), direction, source: node.text }, null, null, `${what} is not a literal, so its SQL is not analysed`);
}
