// The migration rule inside the engine: which migrations a change adds or edits, and how their
// operations become reasons. The analysers themselves are tested in test/unit/migrations.
import assert from 'node:assert/strict';
import { headline } from '../../src/core/report/summary';
import { assessRepo } from './assessRepo';
import { TestRepo } from './gitRepo';

const POLICY = `
version: 1
levels:
  - { id: regular, title: Regular }
  - { id: significant, title: Significant }
migrations:
  level: significant
`;

const ecto = (body: string) => `defmodule App.Repo.Migrations.M do\n  use Ecto.Migration\n\n  def change do\n${body}  end\nend\n`;

describe('the migration rule', () => {
  const repos: TestRepo[] = [];
  const make = () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'priv/repo/migrations/20260101000000_old.exs': ecto('    alter table(:users) do\n      add :age, :integer\n    end\n') }, 'base');
    repo.git('checkout', '-q', '-b', 'feature');
    return repo;
  };
  after(() => repos.forEach((r) => r.dispose()));

  it('a migration that only adds and removes columns stays regular', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260102000000_cols.exs', ecto('    alter table(:users) do\n      add :nick, :string\n      remove :legacy\n    end\n'));
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'regular', JSON.stringify(a.reasons));
    assert.equal(a.migrations.length, 1);
    assert.equal(a.migrations[0].columnsOnly, true);
    assert.deepEqual(
      a.migrations[0].operations.map((o) => [o.kind, o.table, o.column, o.direction]),
      [
        ['add_column', 'users', 'nick', 'forward'],
        ['remove_column', 'users', 'legacy', 'forward'],
      ],
    );
  });

  it('a column type change is significant, with a reason at its line', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260102000000_type.exs', ecto('    alter table(:users) do\n      add :x, :string\n      modify :table_oid, :bigint\n    end\n'));
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'significant');
    const reasons = a.reasons.filter((r) => r.rule === 'migration');
    assert.equal(reasons.length, 1, JSON.stringify(reasons));
    assert.equal(reasons[0].path, 'priv/repo/migrations/20260102000000_type.exs');
    assert.equal(reasons[0].line, 7);
    assert.match(reasons[0].message, /^priv\/repo\/migrations\/20260102000000_type\.exs:7 .*modify :table_oid, :bigint.*changes a column type.*beyond adding and removing columns/);
  });

  it('the headline names the migration rule, not only the zones', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260103000000_rename.exs', ecto('    rename table(:users), :name, to: :full_name\n'));
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'significant');
    assert.equal(headline(a), 'Significant · migrations');
  });

  it('editing a migration that exists on the base branch is a reason by itself', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260101000000_old.exs', ecto('    alter table(:users) do\n      add :age, :bigint\n    end\n'));
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'significant');
    const reason = a.reasons.find((r) => r.rule === 'migration-history');
    assert.ok(reason);
    assert.match(reason.message, /already exists on the base branch/);
  });

  it('the history rule can be turned off', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260101000000_old.exs', ecto('    alter table(:users) do\n      add :age, :integer\n      add :more, :integer\n    end\n'));
    const a = await assessRepo(repo.root, { policyText: `${POLICY}  historyRewrite: false\n` });
    assert.equal(a.level.id, 'regular', JSON.stringify(a.reasons));
  });

  it('a policy can allow more operations', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260102000000_idx.exs', ecto('    create index(:users, [:email])\n'));
    assert.equal((await assessRepo(repo.root, { policyText: POLICY })).level.id, 'significant');
    const a = await assessRepo(repo.root, { policyText: `${POLICY}  allowed: [add_column, remove_column, add_index]\n` });
    assert.equal(a.level.id, 'regular', JSON.stringify(a.reasons));
  });

  it('garbage in a migration file never stops the assessment: it counts as beyond (fail safe)', async () => {
    const repo = make();
    repo.write('priv/repo/migrations/20260102000000_bad.exs', 'defmodule (((( \u0000\u0001 do do do');
    repo.write('db/migrate/20260102000000_bad.rb', Buffer.alloc(2048, 0xff));
    const a = await assessRepo(repo.root, { policyText: POLICY });
    assert.equal(a.level.id, 'significant');
    assert.equal(a.migrations.length, 2);
    for (const m of a.migrations) assert.equal(m.columnsOnly, false, m.path);
  });
});

describe('JS/TS migration folders', () => {
  it('a module without an up step in a migrations folder is not a migration; a Knex migration is', async () => {
    const repo = TestRepo.create();
    try {
      repo.commitFiles({ 'src/migrations/runner.ts': 'export function run() {}\n' }, 'base');
      repo.git('checkout', '-q', '-b', 'f');
      repo.write('src/migrations/runner.ts', 'export function run(setup: boolean) { return setup; }\n');
      repo.write('src/migrations/helpers.ts', 'export const x = 1;\n');
      const plain = await assessRepo(repo.root, { policyText: POLICY });
      assert.deepEqual(plain.migrations, []);
      assert.equal(plain.level.id, 'regular');
      repo.write('migrations/20260101_add_nick.js', 'exports.up = (knex) => knex.schema.alterTable("users", (t) => { t.string("nick"); });\nexports.down = (knex) => knex.schema.alterTable("users", (t) => { t.dropColumn("nick"); });\n');
      const knex = await assessRepo(repo.root, { policyText: POLICY });
      assert.deepEqual(knex.migrations.map((m) => [m.path, m.framework, m.columnsOnly]), [['migrations/20260101_add_nick.js', 'knex', true]]);
    } finally {
      repo.dispose();
    }
  });
});
