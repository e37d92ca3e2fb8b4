import assert from 'node:assert/strict';
import { migrationFrameworkFor } from '../../../src/core/migrations/detect';

describe('migrationFrameworkFor', () => {
  const cases: Array<[string, string | undefined]> = [
    ['priv/repo/migrations/20250101000000_add_note.exs', 'ecto'],
    ['apps/billing/priv/repo/migrations/20250101000000_add_note.exs', 'ecto'],
    ['priv/events_repo/migrations/20250101000000_add_note.exs', 'ecto'],
    ['priv/repo/seeds.exs', undefined],
    ['lib/shop/orders.ex', undefined],
    ['db/migrate/20250101000000_add_note.rb', 'rails'],
    ['engines/billing/db/migrate/20250101000000_add_note.rb', 'rails'],
    ['db/animals_migrate/20250101000000_add_note.rb', 'rails'],
    ['db/schema.rb', undefined],
    ['shop/migrations/0002_order_note.py', 'django'],
    ['src/apps/shop/migrations/0042_auto_20250101_1200.py', 'django'],
    ['shop/migrations/__init__.py', undefined],
    ['shop/migrations/helpers.py', undefined],
    ['src/main/resources/db/migration/V2__add_note.sql', 'sql'],
    ['sql/V2_1__add_note.sql', 'sql'],
    ['db/migration/U2__add_note.sql', 'sql'],
    ['migrations/000012_add_note.up.sql', 'sql'],
    ['internal/store/schema/000012_add_note.down.sql', 'sql'],
    ['db/migrations/20250101000000_add_note.sql', 'sql'],
    ['migrations/20250101000000_add_note.sql', 'sql'],
    ['prisma/migrations/20250101000000_init/migration.sql', 'sql'],
    ['packages/db/prisma/migrations/20250101000000_init/migration.sql', 'sql'],
    ['supabase/migrations/20250101000000_policies.sql', 'sql'],
    ['docs/schema.sql', undefined],
    ['migrations/20250101000000_add_note.js', 'knex'],
    ['db/migrations/20250101000000_add_note.ts', 'knex'],
    ['src/migrations/1735689600000-AddNote.ts', 'typeorm'],
    ['src/migration/1735689600000-AddNote.ts', 'typeorm'],
    ['src/migration/AddNote.ts', 'typeorm'],
    ['src/migrations/index.ts', undefined],
    ['src/migrations/helpers.test.ts', undefined],
    ['src/migrations/types.d.ts', undefined],
    ['src/orders/service.ts', undefined],
    ['README.md', undefined],
  ];
  for (const [path, expected] of cases) {
    it(`${path} → ${expected ?? 'not a migration'}`, () => {
      assert.equal(migrationFrameworkFor(path), expected);
    });
  }

  it('accepts Windows separators', () => {
    assert.equal(migrationFrameworkFor('db\\migrate\\20250101000000_add_note.rb'), 'rails');
  });

  it('looks for a configured framework only where the policy says', () => {
    const overrides = { ecto: ['backend/migrations/*.exs'] };
    assert.equal(migrationFrameworkFor('backend/migrations/20250101_add.exs', overrides), 'ecto');
    assert.equal(migrationFrameworkFor('priv/repo/migrations/20250101_add.exs', overrides), undefined);
    // Other frameworks keep their conventional locations.
    assert.equal(migrationFrameworkFor('db/migrate/20250101000000_add_note.rb', overrides), 'rails');
  });

  it('lets an override claim a path another framework would take by convention', () => {
    assert.equal(migrationFrameworkFor('migrations/001_init.sql', { knex: ['migrations/*.sql'] }), 'knex');
  });

  it('reads an empty override list as "this repository has no such migrations"', () => {
    assert.equal(migrationFrameworkFor('db/migrate/20250101000000_add_note.rb', { rails: [] }), undefined);
  });

  it('caches compiled overrides per policy object', () => {
    const overrides = { sql: ['schema/changes/*.sql'] };
    for (let i = 0; i < 1000; i++) assert.equal(migrationFrameworkFor('schema/changes/001.sql', overrides), 'sql');
  });
});
