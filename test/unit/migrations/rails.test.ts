import assert from 'node:assert/strict';
import { analyseFixture, analyseText, summary } from './fixtures';

describe('Rails migrations', () => {
  it('add/remove columns, multi-line calls, remove_columns, timestamps; commented code is not code', async () => {
    const analysis = await analyseFixture('rails/20250101000000_add_columns_to_orders.rb', 'rails');
    assert.deepEqual(summary(analysis), [
      '6 add_column orders.note',
      '7 add_column orders.coupon_code',
      '12 remove_column orders.legacy_flag',
      '13 remove_column orders.old_total',
      '13 remove_column orders.old_tax',
      '14 add_column orders.created_at, updated_at',
    ]);
    assert.equal(analysis.columnsOnly, true);
    assert.equal(analysis.operations[1]!.source, 'add_column :orders, :coupon_code, :string, null: true, limit: 32');
  });

  it('change_table with only column additions and removals is columns-only', async () => {
    const analysis = await analyseFixture('rails/20250102000000_change_table_columns_only.rb', 'rails');
    assert.deepEqual(summary(analysis), [
      '4 add_column orders.channel',
      '5 add_column orders.priority',
      '6 add_column orders.source',
      '7 remove_column orders.obsolete',
      '7 remove_column orders.unused',
      '8 add_column orders.created_at, updated_at',
    ]);
    assert.equal(analysis.columnsOnly, true);
  });

  it('change_table reads every command, whatever the block parameter is called', async () => {
    const analysis = await analyseFixture('rails/20250103000000_change_table_mixed.rb', 'rails');
    assert.deepEqual(summary(analysis), [
      '4 add_column orders.label',
      '5 add_reference orders.customer',
      '6 add_index orders.label',
      '7 rename_column orders.number',
      '8 change_column_type orders.total',
      '9 change_column_default orders.status',
      '10 change_column_null orders.label',
    ]);
    assert.equal(analysis.columnsOnly, false);
  });

  it('every schema statement, model data updates, and down as rollback', async () => {
    const analysis = await analyseFixture('rails/20250104000000_everything.rb', 'rails');
    assert.deepEqual(summary(analysis), [
      '3 create_table invoices',
      '8 create_table orders',
      '9 drop_table carts',
      '10 rename_table baskets',
      '11 rename_column orders.number',
      '12 change_column_type orders.total',
      '13 change_column_null orders.status',
      '14 change_column_default orders.status',
      '16 add_index orders.customer_id, created_at',
      '17 remove_index orders.legacy',
      '18 add_reference orders.store',
      '19 add_reference orders.warehouse',
      '20 remove_column orders.old_store',
      '21 add_foreign_key orders',
      '22 remove_constraint orders',
      '23 add_constraint orders',
      '24 remove_constraint orders',
      '25 create_type order_state',
      '26 alter_type order_state',
      '27 extension pgcrypto',
      '28 data_change',
      '32 rollback drop_table invoices',
      '33 rollback remove_column orders.store_id',
    ]);
  });

  it('SQL in heredocs, concatenations and line continuations; reversible up/down; unknown SQL is reported', async () => {
    const analysis = await analyseFixture('rails/20250105000000_sql_in_heredocs.rb', 'rails');
    assert.deepEqual(summary(analysis), [
      '9 add_column orders.gift',
      '9 add_column orders.wrap',
      '10 add_column #{…}.note',
      '10 add_column #{…}.tag',
      '12 change_column_type orders.total',
      '14 data_change orders',
      '19 rollback remove_column orders.gift',
      '23 add_index orders',
      '24 raw_sql',
    ]);
    assert.equal(analysis.operations[2]!.source, 'ALTER TABLE #{…} ADD COLUMN IF NOT EXISTS note text, ADD COLUMN IF NOT EXISTS tag text');
  });

  it('old-style def self.up / def self.down', async () => {
    const analysis = await analyseFixture('rails/20250106000000_old_style.rb', 'rails');
    assert.deepEqual(summary(analysis), ['3 add_column orders.note', '7 rollback change_column_type orders.note']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('interpolated literals keep their value; other interpolations stand in for a name or value', async () => {
    const source = "class A < ActiveRecord::Migration[7.2]\n  def up\n    MAP.each do |from, to|\n      execute <<-SQL\n        UPDATE families#{' '}\n        SET timezone = '#{to}'#{' '}\n        WHERE timezone = '#{from}'\n      SQL\n    end\n  end\nend\n";
    const analysis = await analyseText(source, 'rails');
    assert.deepEqual(summary(analysis), ['5 data_change families']);
    assert.equal(analysis.operations[0]!.source, "UPDATE families SET timezone = '#{…}' WHERE timezone = '#{…}'");
  });

  it('connection.execute and SQL held in a constant', async () => {
    const source = 'class A < ActiveRecord::Migration[7.1]\n  SQL = "ALTER TABLE a ALTER COLUMN b TYPE text"\n  def up\n    connection.execute(SQL)\n  end\nend\n';
    assert.deepEqual(summary(await analyseText(source, 'rails')), ['2 change_column_type a.b']);
  });
});
