import assert from 'node:assert/strict';
import { analyseText, summary } from './fixtures';

describe('migration edge cases seen in real projects', () => {
  it('Rails: strong_migrations safety_assured blocks, execute(<<~SQL) in parentheses, trailing comments', async () => {
    const source = 'class A < ActiveRecord::Migration[7.1]\n  def change\n    safety_assured { remove_column :a, :b }\n    execute(<<~SQL)\n      ALTER TABLE a ADD c int\n    SQL\n    add_column :a, :d, :string # ; change_column :a, :e, :int\n  end\nend\n';
    const analysis = await analyseText(source, 'rails');
    assert.deepEqual(summary(analysis), ['3 remove_column a.b', '5 add_column a.c', '7 add_column a.d']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('Ecto: execute with captured functions runs code the analyser cannot see', async () => {
    const analysis = await analyseText('defmodule M do\n  use Ecto.Migration\n  def change do\n    execute(&up_sql/0, &down_sql/0)\n  end\nend\n', 'ecto');
    assert.deepEqual(summary(analysis), ['4 other', '4 rollback other']);
    assert.equal(analysis.columnsOnly, false);
  });

  it('Knex: schema calls inside Promise.all, arrow-function exports', async () => {
    const source = "exports.up = (knex) => Promise.all([\n  knex.schema.table('a', (t) => { t.string('b'); }),\n  knex.schema.table('c', (t) => { t.dropColumn('d'); }),\n]);\nexports.down = async (knex) => { await knex.schema.table('a', t => t.dropColumn('b')); };\n";
    const analysis = await analyseText(source, 'knex');
    assert.deepEqual(summary(analysis), ['2 add_column a.b', '3 remove_column c.d', '5 rollback remove_column a.b']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('Knex: ES module exports and a destructured schema parameter', async () => {
    const source = "export const up = async ({ schema }) => {\n  await schema.alterTable('a', (t) => {\n    t.bigInteger('b').alter();\n  });\n};\nexport const down = async ({ schema }) => schema.dropTable('a');\n";
    assert.deepEqual(summary(await analyseText(source, 'knex')), ['3 change_column_type a.b', '6 rollback drop_table a']);
  });

  it('TypeORM: MySQL statements without backticks fall back to the MySQL grammar', async () => {
    const source = "import { MigrationInterface, QueryRunner } from 'typeorm';\nexport class A1617044722945 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE stages_meta ADD COLUMN table_name TEXT DEFAULT NULL AFTER col_name;`);\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n";
    const analysis = await analyseText(source, 'typeorm');
    assert.deepEqual(summary(analysis), ['4 add_column stages_meta.table_name']);
  });

  it('Django: an operation in a trailing comment is not an operation', async () => {
    const source = 'from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.AddField("a", "b", models.CharField(max_length=3)),  # migrations.DeleteModel("x")\n    ]\n';
    assert.deepEqual(summary(await analyseText(source, 'django')), ['5 add_column a.b']);
  });

  it('SQL: a column added under a guard in a DO block, as Sequin writes it', async () => {
    const sql = [
      'DO $$',
      'BEGIN',
      '  IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = \'consumer_events\') THEN',
      '    ALTER TABLE consumer_events ADD COLUMN IF NOT EXISTS record_pks text[];',
      '  END IF;',
      'END $$;',
    ].join('\n');
    const analysis = await analyseText(sql, 'sql');
    assert.deepEqual(summary(analysis), ['4 add_column consumer_events.record_pks']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('Sequelize and MikroORM migrations in the shared JS/TS folders are read too', async () => {
    const sequelize = [
      "'use strict';",
      'module.exports = {',
      '  async up(queryInterface, Sequelize) {',
      "    await queryInterface.addColumn('users', 'nickname', { type: Sequelize.STRING });",
      "    await queryInterface.removeColumn('users', 'legacy');",
      "    await queryInterface.addIndex('users', ['nickname']);",
      "    await queryInterface.addConstraint('users', { fields: ['org_id'], type: 'foreign key', references: { table: 'orgs', field: 'id' } });",
      "    await queryInterface.sequelize.query('UPDATE users SET nickname = name');",
      '  },',
      '  async down(queryInterface) {',
      "    await queryInterface.removeColumn('users', 'nickname');",
      '  },',
      '};',
    ].join('\n');
    assert.deepEqual(summary(await analyseText(sequelize, 'knex', 'migrations/20250101-nickname.js')), [
      '4 add_column users.nickname',
      '5 remove_column users.legacy',
      '6 add_index users',
      '7 add_foreign_key users',
      '8 data_change users',
      '11 rollback remove_column users.nickname',
    ]);
    const mikro = "import { Migration } from '@mikro-orm/migrations';\nexport class Migration20250101 extends Migration {\n  async up(): Promise<void> {\n    this.addSql('alter table \"user\" add column \"age\" int null;');\n  }\n}\n";
    assert.deepEqual(summary(await analyseText(mikro, 'knex', 'src/migrations/Migration20250101.ts')), ['4 add_column user.age']);
  });

  it('a helper called as a statement of a migration function counts as beyond, and says so', async () => {
    const ecto = await analyseText('defmodule M do\n  use Ecto.Migration\n  import Shop.MigrationHelpers\n  def change do\n    create_audit_tables()\n    IO.puts("done")\n    Shop.MigrationHelpers.add_trigger(:orders)\n    flush()\n  end\nend\n', 'ecto');
    assert.deepEqual(summary(ecto), ['5 other', '7 other']);
    assert.match(ecto.operations[0]!.note!, /calls `create_audit_tables`, which the analyser cannot follow/);
    assert.match(ecto.operations[1]!.note!, /calls `Shop.MigrationHelpers.add_trigger`/);
    const rails = await analyseText('class A < ActiveRecord::Migration[7.1]\n  def up\n    say "backfilling"\n    add_audit_columns(:orders)\n    Rails.logger.info("x")\n  end\nend\n', 'rails');
    assert.deepEqual(summary(rails), ['4 other']);
    const knex = await analyseText("const { addAuditColumns } = require('./helpers');\nexports.up = async (knex) => {\n  console.log('start');\n  if (await knex.schema.hasTable('a')) return;\n  await addAuditColumns(knex, 'orders');\n  const rows = await knex('orders').select('id');\n};\nexports.down = () => {};\n", 'knex');
    assert.deepEqual(summary(knex), ['5 other']);
    assert.equal(knex.columnsOnly, false);
  });

  it('several statements on one line in Ruby and Elixir source', async () => {
    const rails = await analyseText('class A < ActiveRecord::Migration[7.1]\n  def change\n    add_column :a, :b, :integer; change_column :a, :c, :bigint\n  end\nend\n', 'rails');
    assert.deepEqual(summary(rails), ['3 add_column a.b', '3 change_column_type a.c']);
    const ecto = await analyseText('defmodule M do\n  use Ecto.Migration\n  def change do\n    alter table(:a) do add :b, :integer; remove :c end; create index(:a, [:b])\n  end\nend\n', 'ecto');
    assert.deepEqual(summary(ecto), ['4 add_column a.b', '4 remove_column a.c', '4 add_index a.b']);
  });

  it('a helper defined in the same file is read where it is defined, not counted as unknown', async () => {
    const rails = await analyseText('class A < ActiveRecord::Migration[7.1]\n  def change\n    add_flag(:orders)\n  end\n\n  private\n\n  def add_flag(table)\n    add_column table, :flag, :boolean\n  end\nend\n', 'rails');
    assert.deepEqual(summary(rails), ['9 add_column table.flag']);
    assert.equal(rails.columnsOnly, true);
    const ecto = await analyseText('defmodule M do\n  use Ecto.Migration\n  def change do\n    add_flag(:orders)\n  end\n\n  defp add_flag(table) do\n    alter table(table) do\n      add :flag, :boolean\n    end\n  end\nend\n', 'ecto');
    assert.deepEqual(summary(ecto), ['9 add_column table.flag']);
    const typeorm = await analyseText("import { MigrationInterface, QueryRunner } from 'typeorm';\nexport class A1 implements MigrationInterface {\n  public async up(q: QueryRunner): Promise<void> {\n    await this.addFlag(q);\n  }\n  private async addFlag(q: QueryRunner) {\n    await q.query('ALTER TABLE a ADD flag boolean');\n  }\n  public async down(): Promise<void> {}\n}\n", 'typeorm');
    assert.deepEqual(summary(typeorm), ['7 add_column a.flag']);
  });

  it('Rails: a gem or library migration helper counts as beyond; reading records does not', async () => {
    const source = 'class A < ActiveRecord::Migration[7.1]\n  def up\n    Audited::Migration.install(self)\n    User.reset_column_information\n    User.find_each do |user|\n      user.update!(name: user.name.strip)\n    end\n    Rails.logger.info("done")\n  end\nend\n';
    const analysis = await analyseText(source, 'rails');
    assert.deepEqual(summary(analysis), ['3 other', '6 data_change']);
    assert.match(analysis.operations[0]!.note!, /calls `Audited::Migration.install`/);
  });
});
