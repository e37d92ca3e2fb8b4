// The editor's migration parser process (MigrationProcess): the same analyses as in this process,
// through a real child, and a child that dies or is stuck fails closed and is replaced.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyseMigration } from '../../src/core/migrations/analyse';
import { MigrationProcess } from '../../src/node/migrationProcess';
import { assessRepo } from './assessRepo';
import { TestRepo, tempDir } from './gitRepo';

const SQL = 'ALTER TABLE orders ADD COLUMN note text;\nDROP TABLE legacy_orders;\n';
const ECTO = 'defmodule App.Repo.Migrations.M do\n  use Ecto.Migration\n\n  def change do\n    rename table(:users), :name, to: :full_name\n  end\nend\n';
const ALLOWED = ['add_column', 'remove_column'] as const;
const POLICY = 'version: 1\nlevels:\n  - { id: regular, title: Regular }\n  - { id: significant, title: Significant }\nmigrations:\n  level: significant\n';

describe('the migration parser process', function () {
  this.timeout(60000);
  let parser: MigrationProcess;
  beforeEach(() => (parser = new MigrationProcess()));
  afterEach(() => parser.close());

  it('analyses in a child process of its own exactly as this process does', async () => {
    for (const input of [
      { path: 'db/migrations/0002.sql', framework: 'sql' as const, content: SQL },
      { path: 'priv/repo/migrations/20260102000000_rename.exs', framework: 'ecto' as const, content: ECTO },
    ]) {
      const there = await analyseMigration(input, ALLOWED, parser);
      assert.deepEqual(there, await analyseMigration(input, ALLOWED));
      assert.equal(there.columnsOnly, false);
    }
    assert.ok(parser.pid && parser.pid !== process.pid, 'a child process');
  });

  it('loads parsers ahead of time in the child, and a second load is a no-op', async () => {
    await parser.load(['sql', 'ecto']);
    const pid = parser.pid;
    await parser.load(['sql']);
    assert.equal(parser.pid, pid, 'the same child');
  });

  it('a child that dies while parsing fails the migration closed, and the next one starts a new child', async () => {
    const pending = parser.analyseSource('db/migrations/0002.sql', 'sql', SQL);
    const first = parser.pid!;
    process.kill(first, 'SIGKILL');
    await assert.rejects(pending, (err: Error & { code?: string }) => err.code === 'MIGRATION_PARSER' && /stopped \(it was stopped by SIGKILL\)/.test(err.message));
    // Through the engine: a migration that could not be parsed counts as beyond the allowed operations.
    const dying = new MigrationProcess();
    const failing = { analyseSource: async (...args: Parameters<MigrationProcess['analyseSource']>) => {
      const p = dying.analyseSource(...args);
      process.kill(dying.pid!, 'SIGKILL');
      return p;
    } };
    const analysis = await analyseMigration({ path: 'db/migrations/0003.sql', framework: 'sql', content: 'ALTER TABLE t ADD COLUMN c int;\n' }, ALLOWED, failing);
    assert.equal(analysis.columnsOnly, false, 'fail closed');
    assert.match(analysis.operations[0].note ?? '', /could not be analysed \(The migration parser process stopped/);
    dying.close();
    const again = await parser.analyseSource('db/migrations/0002.sql', 'sql', SQL);
    assert.ok(parser.pid && parser.pid !== first, 'a new child');
    assert.equal(again.operations.length, 2);
  });

  it('a child that does not answer is taken as stuck: the request fails and the child is stopped', async () => {
    const script = path.join(tempDir('cc-stuck-'), 'stuck.js');
    fs.writeFileSync(script, "process.on('message', () => {}); setInterval(() => {}, 1000);\n");
    const stuck = new MigrationProcess(script, 300);
    try {
      const pending = stuck.analyseSource('db/migrations/0002.sql', 'sql', SQL);
      const pid = stuck.pid!;
      await assert.rejects(pending, /The migration parser process stopped \(it did not answer within 0.3 s\)/);
      assert.equal(stuck.pid, undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the stuck child was stopped');
    } finally {
      stuck.close();
    }
  });

  it('is what the engine parses with when a door hands it over', async () => {
    const repo = TestRepo.create();
    try {
      repo.commitFiles({ 'README.md': 'x\n' }, 'base');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write('db/migrations/0002_drop.sql', SQL);
      const a = await assessRepo(repo.root, { policyText: POLICY, migrationParser: parser });
      assert.equal(a.level.id, 'significant');
      assert.ok(parser.pid, 'the child parsed it');
      assert.deepEqual(a.migrations[0].operations.map((o) => o.kind), ['add_column', 'drop_table']);
    } finally {
      repo.dispose();
    }
  });
});
