import assert from 'node:assert/strict';
import { loadMigrationParsers } from '../../../src/core/migrations/analyse';
import { budget } from '../../../src/core/migrations/operation';
import { isRollbackFile, splitSql, sqlOperations } from '../../../src/core/migrations/sql';
import { analyseFixture, analyseText, kinds, summary } from './fixtures';

describe('splitSql', () => {
  const texts = (sql: string, mysql = false): string[] => splitSql(sql, { mysql }).map((s) => s.text.trim());

  it('splits several statements on one line', () => {
    assert.deepEqual(texts('ALTER TABLE a ADD b int; ALTER TABLE a ADD c int;'), ['ALTER TABLE a ADD b int', 'ALTER TABLE a ADD c int']);
  });

  it('does not split inside strings, quoted identifiers, comments or dollar-quoted bodies', () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s;');",
      'ALTER TABLE "we;ird" ADD x int; -- trailing; comment',
      '/* block; /* nested; */ still comment */ SELECT 1;',
      'CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RETURN 1; END; $fn$ LANGUAGE plpgsql;',
      "SELECT E'a\\';b';",
    ].join('\n');
    assert.equal(splitSql(sql).length, 5);
  });

  it('leaves out comment-only text and starts a statement where its code starts', () => {
    const statements = splitSql('-- DROP TABLE x;\n\n  /* note */\nALTER TABLE a ADD b int;\n-- the end\n');
    assert.equal(statements.length, 1);
    assert.equal(statements[0]!.text, 'ALTER TABLE a ADD b int');
  });

  it('honours MySQL backslash escapes, # comments and DELIMITER', () => {
    const sql = "UPDATE t SET a = 'it\\'s; ok';\n# DROP TABLE t;\nDELIMITER //\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END//\nDELIMITER ;\nALTER TABLE t ADD b int;";
    assert.deepEqual(texts(sql, true), ["UPDATE t SET a = 'it\\'s; ok'", 'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END', 'ALTER TABLE t ADD b int']);
  });

  it('survives unterminated strings and comments', () => {
    assert.equal(splitSql("ALTER TABLE a ADD b int; SELECT 'open").length, 2);
    assert.equal(splitSql('ALTER TABLE a ADD b int; /* open').length, 1);
    assert.equal(splitSql('SELECT $$ open').length, 1);
  });
});

describe('SQL migrations', () => {
  it('Flyway: one ALTER TABLE adding two columns, IF NOT EXISTS, keywords in comments, several statements on a line', async () => {
    const analysis = await analyseFixture('sql/flyway/V2__add_order_columns.sql', 'sql');
    assert.deepEqual(summary(analysis), [
      '3 add_column orders.note',
      '3 add_column orders.tag',
      '5 remove_column public.orders.legacy_flag',
      '5 remove_column orders.old_total',
    ]);
    assert.equal(analysis.columnsOnly, true);
  });

  it('Flyway: every kind of PostgreSQL statement', async () => {
    const analysis = await analyseFixture('sql/flyway/V3__everything.sql', 'sql');
    assert.deepEqual(summary(analysis), [
      '1 create_table invoices',
      '6 drop_table carts',
      '7 rename_table baskets',
      '8 rename_column orders.number',
      '9 change_column_type orders.total',
      '10 change_column_null orders.status',
      '11 change_column_default orders.status',
      '12 add_index orders',
      '13 remove_index orders_legacy',
      '14 add_constraint orders.total_positive',
      '15 remove_constraint orders.old_check',
      '16 add_reference orders.customer_id',
      '17 add_foreign_key orders.orders_customer_fk',
      '18 create_type',
      '19 alter_type',
      '20 extension',
      '21 trigger_or_function',
      '27 trigger_or_function orders',
      '28 data_change orders',
      '29 data_change settings',
      '32 raw_sql',
    ]);
    const unparsed = analysis.operations.at(-1)!;
    assert.equal(unparsed.source, 'ALTER TABLE orders SPLURGE');
    assert.match(unparsed.note!, /could not be parsed as PostgreSQL or MySQL/);
    assert.equal(analysis.columnsOnly, false);
  });

  it('MySQL dialect: backticks, MODIFY, CHANGE, table options, backslash escapes', async () => {
    const analysis = await analyseFixture('sql/mysql/V4__mysql.sql', 'sql');
    assert.deepEqual(summary(analysis), [
      '1 add_column orders.note',
      '1 add_column orders.tag',
      '2 remove_column orders.legacy',
      '3 change_column_type orders.total',
      '4 rename_column orders.number',
      '5 create_table invoices',
      '6 data_change orders',
    ]);
  });

  it('golang-migrate: the .up.sql decides, transaction control is not an operation', async () => {
    const up = await analyseFixture('sql/golang/000012_add_note.up.sql', 'sql');
    assert.deepEqual(summary(up), ['2 add_column orders.note']);
    assert.equal(up.columnsOnly, true);
  });

  it('golang-migrate: a .down.sql is rollback only and is columns-only whatever it does', async () => {
    const down = await analyseFixture('sql/golang/000012_add_note.down.sql', 'sql');
    assert.deepEqual(summary(down), ['1 rollback remove_column orders.note', '2 rollback drop_table something_else']);
    assert.equal(down.columnsOnly, true);
  });

  it('goose: Up and Down sections, StatementBegin/End blocks', async () => {
    const analysis = await analyseFixture('sql/goose/20250101000000_add_note.sql', 'sql');
    assert.deepEqual(summary(analysis), ['3 add_column orders.note', '5 add_column orders.tag', '9 rollback remove_column orders.tag', '9 rollback remove_column orders.note']);
    assert.equal(analysis.columnsOnly, true);
    const fn = await analyseFixture('sql/goose/20250102000000_function.sql', 'sql');
    assert.deepEqual(summary(fn), ['3 trigger_or_function', '9 rollback trigger_or_function']);
  });

  it('Prisma: quoted identifiers, ADD COLUMN over two lines, SET DATA TYPE', async () => {
    const analysis = await analyseFixture('sql/prisma/migrations/20250101000000_init/migration.sql', 'sql');
    assert.deepEqual(summary(analysis), ['2 add_column Order.note', '2 add_column Order.tag', '6 change_column_type Order.total']);
    assert.equal(analysis.columnsOnly, false);
  });

  it('Supabase: row-level security, policies and grants are beyond columns', async () => {
    const analysis = await analyseFixture('sql/supabase/migrations/20250101000000_policies.sql', 'sql');
    assert.deepEqual(kinds(analysis), ['other', 'other', 'other']);
    assert.match(analysis.operations[1]!.note!, /policy/);
  });

  it('dbmate and sql-migrate section markers', async () => {
    const dbmate = await analyseText('-- migrate:up\nALTER TABLE a ADD b int;\n\n-- migrate:down\nALTER TABLE a DROP b;\n', 'sql', 'db/migrations/1_a.sql');
    assert.deepEqual(summary(dbmate), ['2 add_column a.b', '5 rollback remove_column a.b']);
    const sqlMigrate = await analyseText('-- +migrate Up\nCREATE TABLE a (id int);\n-- +migrate Down\nDROP TABLE a;\n', 'sql', 'migrations/1_a.sql');
    assert.deepEqual(summary(sqlMigrate), ['2 create_table a', '4 rollback drop_table a']);
  });

  it('Flyway undo scripts are rollback', async () => {
    assert.equal(isRollbackFile('db/migration/U3__everything.sql'), true);
    assert.equal(isRollbackFile('db/migration/V3__everything.sql'), false);
    const undo = await analyseText('DROP TABLE invoices;', 'sql', 'db/migration/U3__everything.sql');
    assert.deepEqual(summary(undo), ['1 rollback drop_table invoices']);
  });

  it('an empty migration, or one with only comments and settings, is columns-only', async () => {
    for (const content of ['', '-- nothing yet\n', "SET lock_timeout = '5s';\nBEGIN;\nCOMMIT;\n"]) {
      const analysis = await analyseText(content, 'sql', 'migrations/1.sql');
      assert.deepEqual(analysis.operations, []);
      assert.equal(analysis.columnsOnly, true);
    }
  });

  it('the policy decides what is allowed', async () => {
    const sql = 'ALTER TABLE a ADD b int;\nCREATE INDEX a_b ON a (b);';
    assert.equal((await analyseText(sql, 'sql')).columnsOnly, false);
    assert.equal((await analyseText(sql, 'sql', 'm.sql', ['add_column', 'remove_column', 'add_index'])).columnsOnly, true);
  });

  it('a DO block is read with the PL/pgSQL parser: its statements decide, its conditions only read', async () => {
    const sql = [
      'DO $$',
      'BEGIN',
      "  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'b') THEN",
      '    ALTER TABLE a ADD COLUMN b int;',
      '  END IF;',
      'END $$;',
    ].join('\n');
    const analysis = await analyseText(sql, 'sql');
    assert.deepEqual(summary(analysis), ['4 add_column a.b']);
    assert.equal(analysis.columnsOnly, true);
  });

  it('a DO block with a type change, dynamic SQL or unparsable PL/pgSQL counts as beyond', async () => {
    const changes = await analyseText("DO $$ BEGIN ALTER TABLE a ALTER COLUMN b TYPE bigint; EXECUTE format('DROP TABLE %I', 'x'); END $$;", 'sql');
    assert.deepEqual(kinds(changes), ['change_column_type', 'raw_sql']);
    assert.match(changes.operations[1]!.note!, /dynamic SQL/);
    const broken = await analyseText('DO $$ BEGIN FOR r IN SELECT 1 LOOP END LOOP; END $$;', 'sql');
    assert.deepEqual(kinds(broken), ['raw_sql']);
    assert.match(broken.operations[0]!.note!, /PL\/pgSQL could not be parsed/);
    const other = await analyseText("DO LANGUAGE plv8 $$ plv8.execute('DROP TABLE x') $$;", 'sql');
    assert.deepEqual(kinds(other), ['raw_sql']);
  });

  it('SELECT 1 is a no-op, a SELECT calling a function is not', async () => {
    assert.deepEqual(kinds(await analyseText('SELECT 1;', 'sql')), []);
    assert.deepEqual(kinds(await analyseText("SELECT count(*), lower(name) FROM users GROUP BY 2;", 'sql')), []);
    const hypertable = await analyseText("SELECT create_hypertable('events', 'at');", 'sql');
    assert.deepEqual(kinds(hypertable), ['other']);
    assert.match(hypertable.operations[0]!.note!, /create_hypertable/);
  });

  it('stops when the time budget is spent and reports the rest as not analysed (fail safe)', async () => {
    await loadMigrationParsers(['sql']);
    const saved = budget.deadline;
    budget.deadline = 0;
    try {
      for (const sql of ['ALTER TABLE a ADD b int; ALTER TABLE a ADD c int;', 'ALTER TABLE `a` ADD b int; ALTER TABLE `a` ADD c int;']) {
        const ops = sqlOperations(sql, { line: 1, direction: 'forward' });
        assert.deepEqual(ops.map((op) => op.kind), ['raw_sql']);
        assert.match(ops[0]!.note!, /analysis stopped after 3 s; this and the 1 statements after it were not analysed/);
      }
    } finally {
      budget.deadline = saved;
    }
  });
});
