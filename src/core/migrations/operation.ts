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
