// Owns how every analyser builds an operation, so sources read the same whatever the framework.

import type { MigrationOperation, OperationKind } from './types';

export type Direction = MigrationOperation['direction'];

const MAX_SOURCE = 160;

/** One line, whitespace collapsed, cut to a length a reason can quote. */
export function oneLine(source: string): string {
  const flat = source.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SOURCE ? `${flat.slice(0, MAX_SOURCE - 1)}…` : flat;
}

export function operation(
  kind: OperationKind,
  at: { line: number; direction: Direction; source: string },
  table: string | null = null,
  column: string | null = null,
  note?: string,
): MigrationOperation {
  const op: MigrationOperation = { kind, table, column, line: at.line, direction: at.direction, source: oneLine(at.source) };
  if (note !== undefined) op.note = note;
  return op;
}

/** What cannot be read counts as beyond the allowed operations: the fail-safe answer. */
export function unparsed(at: { line: number; direction: Direction; source: string }, why: string): MigrationOperation {
  return operation('raw_sql', at, null, null, why);
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Lines of offsets asked in increasing order (statements of a script), counted once overall
 * rather than from the start for each: a script of 50,000 statements stays linear.
 */
export class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.offset = offset;
    // The newline at `offset` itself (if any) belongs to this line; the next search starts past it.
    return this.line;
  }
}

/**
 * How long one file's analysis may take: a pathological file must not hold the editor. Set when
 * a file's analysis starts (analysis is synchronous once the parsers are loaded, so files never
 * interleave); checked by the parsers and the statement loops.
 */
export const ANALYSIS_BUDGET_MS = 3000;
export const budget = { deadline: Number.POSITIVE_INFINITY };
export const overBudget = (): boolean => Date.now() > budget.deadline;
