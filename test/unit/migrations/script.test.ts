import assert from 'node:assert/strict';
import { analyseFixture, analyseText, summary } from './fixtures';

describe('Knex migrations', () => {
  it('alterTable builder: columns over several lines, dropColumn(s), timestamps; down is rollback', async () => {
    const analysis = await analyseFixture('knex/20250101000000_add_note.js', 'knex');
    assert.equal(analysis.framework, 'knex');
    assert.deepEqual(summary(analysis), [
      '4 add_column orders.note',
      '5 add_column orders.tag',
      '9 remove_column orders.legacy_flag',
      '10 remove_column orders.old_total',
      '10 remove_column orders.old_tax',
      '11 add_column orders.created_at, updated_at',
      '17 rollback remove_column orders.note',
      '18 rollback change_column_type orders.old_total',
    ]);
    assert.equal(analysis.columnsOnly, true);
    assert.equal(analysis.operations[1]!.source, "table .string('tag', 32) .notNullable() .defaultTo('')");
  });

  it('schema chains, builder commands, raw SQL (template literals, constants) and query-builder updates', async () => {
    const analysis = await analyseFixture('knex/20250102000000_everything.ts', 'knex');
    assert.deepEqual(summary(analysis), [
      '4 drop_table legacy_orders',
      '8 create_table invoices',
      '12 drop_table carts',
      '13 rename_table baskets',
      '15 add_reference orders.customer_id',
      '16 change_column_type orders.total',
      '17 rename_column orders.number',
      '18 add_index orders',
      '19 remove_index orders',
      '20 add_constraint orders',
      '21 add_foreign_key orders',
      '22 remove_constraint orders',
      '23 change_column_null orders.note',
      '25 extension',
      '26 add_column orders.gift',
      '28 data_change orders',
      '32 rollback drop_table invoices',
    ]);
    assert.equal(analysis.operations[1]!.source, "knex.schema.createTable('invoices', …)");
  });
});

describe('TypeORM migrations', () => {
  it('queryRunner.query SQL (including concatenation) and column methods; down is rollback', async () => {
    const analysis = await analyseFixture('typeorm/1735689600000-AddNote.ts', 'typeorm');
    assert.equal(analysis.framework, 'typeorm');
    assert.deepEqual(summary(analysis), [
      '8 add_column order.note',
      '10 add_column order.tag',
      '10 add_column order.channel',
      '13 add_column order.gift',
      '14 remove_column order.legacy_flag',
      '18 rollback remove_column order.note',
      '19 rollback change_column_type order.total',
    ]);
    assert.equal(analysis.columnsOnly, true);
  });

  it('every QueryRunner method, several statements in one query, SQL it cannot see', async () => {
    const analysis = await analyseFixture('typeorm/1735776000000-Everything.ts', 'typeorm');
    assert.deepEqual(summary(analysis), [
      '6 create_table invoice',
      '13 drop_table cart',
      '14 rename_table basket',
      '15 change_column_type order.total',
      '16 rename_column order.number',
      '17 add_index order',
      '18 remove_index order',
      '19 add_foreign_key order',
      '20 remove_constraint order',
      '21 add_index order',
      '21 create_type',
      '22 raw_sql',
      '23 data_change order',
      '27 rollback drop_table invoice',
    ]);
  });

  it('is told apart from Knex by its content when the path cannot say', async () => {
    const source = "import { MigrationInterface, QueryRunner } from 'typeorm';\nexport class A implements MigrationInterface {\n  async up(q: QueryRunner) { await q.query('ALTER TABLE a ADD b int'); }\n}\n";
    const analysis = await analyseText(source, 'knex', 'src/migrations/add.ts');
    assert.equal(analysis.framework, 'typeorm');
    assert.deepEqual(summary(analysis), ['3 add_column a.b']);
  });
});
