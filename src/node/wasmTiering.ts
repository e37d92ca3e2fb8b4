// The migration parsers are WebAssembly (tree-sitter grammars, PostgreSQL's parser). V8 first
// compiles WebAssembly with its baseline compiler (Liftoff) and then recompiles hot functions
// with its optimising one (TurboFan) on background threads; a grammar's lexer is one huge
// function, and that recompilation is what takes a process analysing migrations from ~90 MB to
// ~150–170 MB at its peak, for no measurable gain in the time to analyse 1,000 files. A process
// of our own (the CLI) keeps the baseline code; the editor's extension host, shared with other
// extensions, is not ours to set flags in.
import { setFlagsFromString } from 'node:v8';

/** Keeps WebAssembly compiled after this call on the baseline compiler. Call before the first migration. */
export function baselineWasmOnly(): void {
  setFlagsFromString('--liftoff-only');
}
