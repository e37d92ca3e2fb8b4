import assert from 'node:assert/strict';
import { analyseFixture, analyseText, summary } from './fixtures';

describe('Ecto migrations', () => {
  it('alter table with add/remove (multi-line too), timestamps: columns only; keywords in comments are not code', async () => {
    const analysis = await analyseFixture('ecto/20250101000000_add_columns.exs', 'ecto');
    assert.deepEqual(summary(analysis), [
      '7 add_column orders.note',
      '8 add_column orders.coupon',
      '11 remove_column orders.legacy_flag',
      '12 remove_column orders.old_total',
      '13 add_column orders.inserted_at, updated_at',
    ]);
    assert.equal(analysis.columnsOnly, true);
    assert.equal(analysis.operations[1]!.source, 'add_if_not_exists :coupon, :string, null: true');
  });

  it('modify changes a column type (the Sequin case); a schema prefix known only at run time is not part of the table name', async () => {
    const analysis = await analyseFixture('ecto/20250102000000_modify_table_oid.exs', 'ecto');
    assert.deepEqual(summary(analysis), ['8 add_column consumer_events.trace_id', '9 change_column_type consumer_events.table_oid']);
    assert.deepEqual(analysis.operations.map((o) => o.dynamicPrefix), ['@stream_schema', '@stream_schema']);
    assert.equal(analysis.columnsOnly, false);
    assert.equal(analysis.operations[1]!.source, 'modify :table_oid, :bigint, null: false');
  });

  it('every operation: tables, indexes, constraints, renames, references, modify with from:, execute SQL, repo data, up/down', async () => {
    const analysis = await analyseFixture('ecto/20250103000000_everything.exs', 'ecto');
    assert.deepEqual(summary(analysis), [
      '7 create_table invoices',
      '14 create_table audit_log',
      '15 drop_table carts',
      '16 drop_table wishlists',
      '19 add_reference orders.customer_id',
      '20 change_column_type orders.total',
      '21 change_column_null orders.status',
      '22 change_column_default orders.currency',
      '25 add_index orders.customer_id',
      '26 add_index orders.number',
      '27 add_index #{…}_orders.status',
      '28 remove_index orders.legacy',
      '29 remove_index orders.old_number',
      '30 add_constraint orders.total_must_be_positive',
      '31 remove_constraint orders.old_check',
      '33 rename_table carts',
      '34 rename_column orders.number',
      '36 create_type',
      '37 alter_type',
      '38 extension',
      '40 trigger_or_function',
      '49 data_change orders',
      '50 data_change #{…}.orders',
      '54 rollback drop_table invoices',
      '55 rollback alter_type',
    ]);
    assert.equal(analysis.operations.find((o) => o.line === 26)?.dynamicPrefix, '@config_schema', 'the run-time prefix is reported apart from the table');
  });

  it('execute with rollback SQL, several statements in one string, sigils with interpolation, and functions', async () => {
    const analysis = await analyseFixture('ecto/20250104000000_execute_up_down.exs', 'ecto');
    assert.deepEqual(summary(analysis), [
      '5 add_column orders.gift',
      '5 add_column orders.wrap',
      '6 rollback remove_column orders.gift',
      '6 rollback remove_column orders.wrap',
      '8 add_column #{…}.orders.channel',
      '10 change_column_default orders.note',
    ]);
  });

  it('a truncated file reports the syntax error and counts as beyond', async () => {
    const analysis = await analyseFixture('ecto/20250105000000_broken.exs', 'ecto');
    assert.ok(analysis.operations.some((op) => op.kind === 'raw_sql' && /syntax error/.test(op.note ?? '')));
    assert.equal(analysis.columnsOnly, false);
  });

  it('execute of SQL it cannot see is reported, not trusted', async () => {
    const analysis = await analyseText('defmodule M do\n  use Ecto.Migration\n  def change do\n    execute sql()\n  end\nend\n', 'ecto');
    assert.deepEqual(summary(analysis), ['4 raw_sql']);
    assert.match(analysis.operations[0]!.note!, /not a literal/);
  });

  it('module attributes holding SQL are read', async () => {
    const source = 'defmodule M do\n  use Ecto.Migration\n  @up "ALTER TABLE a ADD b int"\n  def change do\n    execute @up, "ALTER TABLE a DROP b"\n  end\nend\n';
    const analysis = await analyseText(source, 'ecto');
    assert.deepEqual(summary(analysis), ['3 add_column a.b', '5 rollback remove_column a.b']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('a rename in down is rollback and does not decide', async () => {
    const source = 'defmodule M do\n  use Ecto.Migration\n  def up do\n    alter table(:a) do\n      add :b, :int\n    end\n  end\n\n  def down do\n    rename table(:a), :b, to: :c\n  end\nend\n';
    const analysis = await analyseText(source, 'ecto');
    assert.deepEqual(summary(analysis), ['5 add_column a.b', '10 rollback rename_column a.b']);
    assert.equal(analysis.columnsOnly, true);
  });
});
