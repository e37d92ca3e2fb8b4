/// <reference path="../../../node_modules/web-tree-sitter/web-tree-sitter.d.cts" />
// Owns loading the real parsers the analysers read migrations with. Everything here is heavy
// (WebAssembly grammars, a PEG grammar), so it is reached only through `analysers.ts`, which the
// engine requires on the first migration it sees; nothing is loaded before that, and each parser
// is loaded on its first use only.
//
// Why these parsers:
// - PostgreSQL: libpg-query is PostgreSQL's own parser (the server's grammar compiled to
//   WebAssembly). Migrations are full of what smaller grammars reject — functions with $$ bodies,
//   DO blocks, triggers, policies, CREATE TYPE/EXTENSION, INDEX CONCURRENTLY — and node-sql-parser
//   or pgsql-ast-parser fail on many of them, which would make routine files "unparsed".
// - MySQL: PostgreSQL's grammar rejects backticks, MODIFY/CHANGE COLUMN and table options, so a
//   statement it refuses is tried with node-sql-parser's MySQL build (a PEG grammar, pure JS).
// - Ruby, Elixir, Python, JavaScript/TypeScript: web-tree-sitter with the official grammar
//   packages' own .wasm builds (the prebuilt `tree-sitter-wasms` collection targets an older ABI
//   that current web-tree-sitter refuses). The TypeScript grammar also reads plain JS migrations.
//
// Where the .wasm files are: beside the bundle in `dist/` (esbuild.js copies them there), or in
// node_modules when running from `out/` (tests) or the sources.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Language, Node, Parser as TreeParser, Tree } from 'web-tree-sitter';
import { overBudget } from './operation';

export type { Node, Tree };
export type SourceLanguage = 'ruby' | 'elixir' | 'python' | 'typescript';

const GRAMMARS: Record<SourceLanguage, { pkg: string; file: string }> = {
  ruby: { pkg: 'tree-sitter-ruby', file: 'tree-sitter-ruby.wasm' },
  elixir: { pkg: 'tree-sitter-elixir', file: 'tree-sitter-elixir.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
};


function besideBundle(file: string): string | undefined {
  const candidate = path.join(__dirname, file);
  return fs.existsSync(candidate) ? candidate : undefined;
}

function wasmFile(pkg: string, file: string): string {
  return besideBundle(file) ?? path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

type TreeSitter = typeof import('web-tree-sitter');
let treeSitter: Promise<TreeSitter> | undefined;
const languages = new Map<SourceLanguage, Promise<Language>>();
const sourceParsers = new Map<SourceLanguage, TreeParser>();

function loadTreeSitter(): Promise<TreeSitter> {
  treeSitter ??= (async () => {
    const ts = require('web-tree-sitter') as TreeSitter;
    const bundled = besideBundle('web-tree-sitter.wasm');
    await ts.Parser.init(bundled ? { locateFile: () => bundled } : undefined);
    return ts;
  })();
  return treeSitter;
}

/** Loads (once) the grammar for a language; resolves when `parseSource` can be called for it. */
export async function loadLanguage(language: SourceLanguage): Promise<void> {
  if (sourceParsers.has(language)) return;
  let loading = languages.get(language);
  if (!loading) {
    loading = loadTreeSitter().then((ts) => ts.Language.load(wasmFile(GRAMMARS[language].pkg, GRAMMARS[language].file)));
    languages.set(language, loading);
  }
  const [ts, grammar] = await Promise.all([loadTreeSitter(), loading]);
  if (!sourceParsers.has(language)) {
    const parser = new ts.Parser();
    parser.setLanguage(grammar);
    // V8 compiles WebAssembly functions on their first call; a grammar's lexer is one very large
    // function. Parsing a line here makes that one-time compilation part of loading the parser,
    // where it belongs, rather than a surprise on the first migration.
    parser.parse(WARM_UP[language])?.delete();
    sourceParsers.set(language, parser);
  }
}

const WARM_UP: Record<SourceLanguage, string> = {
  ruby: 'class A < ActiveRecord::Migration[7.1]\n  def change\n    add_column :a, :b, :string\n  end\nend\n',
  elixir: 'defmodule M do\n  use Ecto.Migration\n  def change do\n    alter table(:a) do\n      add :b, :string\n    end\n  end\nend\n',
  python: 'class Migration(migrations.Migration):\n    operations = [migrations.AddField("a", "b", models.TextField())]\n',
  typescript: "export async function up(knex: Knex): Promise<void> {\n  await knex.schema.alterTable('a', (t) => { t.string('b'); });\n}\n",
};

/**
 * A syntax tree of `text`, or null when parsing was abandoned (time budget). The caller must
 * `delete()` the tree: its memory lives in WebAssembly, not on the JS heap.
 */
export function parseSource(language: SourceLanguage, text: string): Tree | null {
  const parser = sourceParsers.get(language);
  if (!parser) throw new Error(`the ${language} grammar is not loaded`);
  parser.reset();
  // A pathological file must not hold the editor: give up when the file's time budget is spent.
  return parser.parse(text, null, { progressCallback: overBudget });
}

type PgQuery = typeof import('libpg-query');
let pgQuery: Promise<PgQuery> | undefined;

/** Loads (once) PostgreSQL's parser. */
export async function loadPostgres(): Promise<void> {
  pgQuery ??= (async () => {
    // libpg-query starts compiling its WebAssembly as soon as it is required: require it here only.
    const pg = require('libpg-query') as PgQuery;
    await pg.loadModule();
    return pg;
  })();
  const pg = await pgQuery;
  if (!pgSync) {
    // As for the grammars: the parser's first call compiles its code; count it as loading.
    pg.parseSync('ALTER TABLE a ADD COLUMN b text; CREATE INDEX c ON a (b)');
    pgSync = pg.parseSync;
    plpgsqlSync = pg.parsePlPgSQLSync;
  }
}
let pgSync: PgQuery['parseSync'] | undefined;
let plpgsqlSync: PgQuery['parsePlPgSQLSync'] | undefined;

/** PL/pgSQL's parse tree of a CREATE FUNCTION statement (JSON form); throws on an error. */
export function parsePlpgsql(createFunction: string): PgNode {
  if (!plpgsqlSync) throw new Error('the PostgreSQL parser is not loaded');
  return plpgsqlSync(createFunction) as unknown as PgNode;
}

/** PostgreSQL's parse tree (JSON form) of one or more statements; throws on a syntax error. */
export function parsePostgres(sql: string): PgParseResult {
  if (!pgSync) throw new Error('the PostgreSQL parser is not loaded');
  return pgSync(sql) as unknown as PgParseResult;
}

export interface PgParseResult {
  stmts?: Array<{ stmt?: Record<string, PgNode>; stmt_location?: number; stmt_len?: number }>;
}
/** libpg_query's JSON nodes, read structurally (the analyser needs a handful of fields). */
export type PgNode = { [key: string]: unknown };

interface MysqlParser {
  astify(sql: string, options?: { database?: string }): unknown;
}
let mysql: MysqlParser | undefined;

/** node-sql-parser's MySQL AST of one statement (or several); throws on a syntax error. */
export function parseMysql(sql: string): unknown {
  // Synchronous and cheap to load (pure JS); needed only when PostgreSQL's grammar refused a statement.
  if (!mysql) {
    const { Parser } = require('node-sql-parser/build/mysql') as { Parser: new () => MysqlParser };
    mysql = new Parser();
  }
  return mysql.astify(sql, { database: 'MySQL' });
}
