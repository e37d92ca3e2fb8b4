import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MIGRATION_FRAMEWORKS, OPERATION_KINDS } from '../../../src/core/migrations/types';
import { analyseText, fixture } from './fixtures';

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const SAMPLES: Record<string, string> = {
  ecto: fixture('ecto/20250103000000_everything.exs'),
  rails: fixture('rails/20250105000000_sql_in_heredocs.rb'),
  django: fixture('django/shop/migrations/0004_everything.py'),
  sql: fixture('sql/flyway/V3__everything.sql'),
  knex: fixture('knex/20250102000000_everything.ts'),
  typeorm: fixture('typeorm/1735776000000-Everything.ts'),
};

describe('migration analysis never throws', () => {
  for (const framework of MIGRATION_FRAMEWORKS) {
    it(`${framework}: every truncation of a real-looking migration gives a well-formed answer`, async () => {
      const sample = SAMPLES[framework]!;
      for (let cut = 0; cut < sample.length; cut += Math.max(1, Math.floor(sample.length / 60))) {
        const analysis = await analyseText(sample.slice(0, cut), framework, 'm');
        for (const op of analysis.operations) {
          assert.ok(OPERATION_KINDS.includes(op.kind), op.kind);
          assert.ok(Number.isInteger(op.line) && op.line >= 1, `line ${op.line}`);
          assert.ok(op.direction === 'forward' || op.direction === 'rollback');
          assert.equal(typeof op.source, 'string');
        }
      }
    });

    it(`${framework}: garbage is reported as beyond, not passed`, async () => {
      const next = random(framework.length);
      const alphabet = 'do end ( ) [ ] { } " \' ` $$ <<~SQL #{ ; -- /* */ \\ \n\t create alter table add :x, ALTER TABLE ';
      for (let round = 0; round < 20; round++) {
        let text = '';
        for (let i = 0; i < 400; i++) text += alphabet[Math.floor(next() * alphabet.length)];
        const analysis = await analyseText(text, framework, 'm');
        assert.equal(typeof analysis.columnsOnly, 'boolean');
      }
      const words = await analyseText('defmodule (((( do do do class def [[[ SELECT FROM WHERE', framework, 'm');
      assert.equal(words.columnsOnly, false);
    });

    it(`${framework}: binary content is reported as unparsed`, async () => {
      const binary = await analyseText(randomBytes(4096).toString('latin1').replace(/^/, '\u0000'), framework, 'm');
      assert.deepEqual(binary.operations.map((op) => op.kind), ['raw_sql']);
      assert.match(binary.operations[0]!.note!, /binary/);
      assert.equal(binary.columnsOnly, false);
      const invalidUtf8 = await analyseText(Buffer.alloc(2048, 0xff).toString('utf8'), framework, 'm');
      assert.equal(invalidUtf8.columnsOnly, false);
      assert.match(invalidUtf8.operations[0]!.note!, /not UTF-8/);
    });
  }

  it('a 10 MB file is reported as too large, quickly', async () => {
    const huge = 'ALTER TABLE a ADD b int;\n'.repeat(420_000);
    assert.ok(huge.length > 10_000_000);
    const started = Date.now();
    const analysis = await analyseText(huge, 'sql', 'migrations/huge.sql');
    assert.ok(Date.now() - started < 2000, 'answered without parsing');
    assert.deepEqual(analysis.operations.map((op) => op.kind), ['raw_sql']);
    assert.match(analysis.operations[0]!.note!, /MB/);
    assert.equal(analysis.columnsOnly, false);
  });

  it('deeply nested input does not overflow the stack into a throw', async () => {
    for (const framework of ['ecto', 'rails', 'django', 'knex'] as const) {
      const analysis = await analyseText('('.repeat(50_000) + ')'.repeat(50_000), framework, 'm');
      assert.equal(analysis.columnsOnly, false);
    }
  });

  it('a file that is not shaped like its framework is reported', async () => {
    const analysis = await analyseText('def helper\n  1\nend\n', 'rails', 'db/migrate/1_helper.rb');
    assert.equal(analysis.columnsOnly, false);
    assert.match(analysis.operations[0]!.note!, /does not look like a rails migration/);
  });

  it('non-ASCII text keeps lines and sources right', async () => {
    const source = "class A < ActiveRecord::Migration[7.1]\n  # Größe 😀\n  def change\n    execute \"COMMENT ON TABLE a IS 'größe 😀'; ALTER TABLE a ADD größe int\"\n  end\nend\n";
    const analysis = await analyseText(source, 'rails');
    assert.deepEqual(analysis.operations.map((op) => [op.line, op.kind, op.column]), [[4, 'add_column', 'größe']]);
  });
});
