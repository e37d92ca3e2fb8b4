import assert from 'node:assert/strict';
import { assessRepo } from './assessRepo';
import { TestRepo } from './gitRepo';

const POLICY = (components: string) => `
version: 1
levels:
  - { id: low, title: Low }
  - { id: high, title: High }
components:
${components}
`;

describe('components', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  async function touched(layout: Record<string, string>, changes: string[], components = '  level: high'): Promise<{ components: string[]; level: string }> {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n', ...layout }, 'base');
    repo.git('checkout', '-q', '-b', 'f');
    for (const c of changes) repo.write(c, 'changed\n');
    const a = await assessRepo(repo.root, { policyText: POLICY(components) });
    return { components: a.components, level: a.level.id };
  }

  it('from npm workspaces (object form too)', async () => {
    const r = await touched({ 'package.json': JSON.stringify({ workspaces: { packages: ['apps/*', 'libs/**'] } }) }, ['apps/web/a.ts', 'libs/ui/b.ts', 'README.md']);
    assert.deepEqual(r, { components: ['apps/web', 'libs/ui'], level: 'high' });
  });

  it('from pnpm workspaces', async () => {
    const r = await touched({ 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n" }, ['packages/a/x.ts']);
    assert.deepEqual(r, { components: ['packages/a'], level: 'low' });
  });

  it('from Elixir umbrella apps', async () => {
    const r = await touched({ 'mix.exs': 'defmodule U.MixProject do\n  def project, do: [apps_path: "apps", deps: []]\nend\n' }, ['apps/core/lib/a.ex', 'apps/web/lib/b.ex']);
    assert.deepEqual(r, { components: ['apps/core', 'apps/web'], level: 'high' });
  });

  it('from a Go workspace', async () => {
    const r = await touched({ 'go.work': 'go 1.22\n\nuse (\n\t./svc/api\n\t./svc/worker\n)\n' }, ['svc/api/main.go', 'svc/worker/main.go']);
    assert.deepEqual(r, { components: ['svc/api', 'svc/worker'], level: 'high' });
  });

  it('from a Cargo workspace', async () => {
    const r = await touched({ 'Cargo.toml': '[workspace]\nmembers = [\n  "crates/*",\n]\n' }, ['crates/a/src/lib.rs']);
    assert.deepEqual(r, { components: ['crates/a'], level: 'low' });
  });

  it('from top-level folders that hold a project of their own', async () => {
    const r = await touched(
      { 'frontend/package.json': '{}', 'backend/go.mod': 'module x\n', 'docs/index.md': 'x\n' },
      ['frontend/src/a.ts', 'backend/main.go', 'docs/index.md', 'scripts/x.sh'],
    );
    assert.deepEqual(r, { components: ['backend', 'frontend'], level: 'high' });
  });

  it('top-level folders of a single project are not components', async () => {
    const r = await touched({ 'go.mod': 'module x\n' }, ['cmd/a/main.go', 'internal/b/b.go', 'pkg/c/c.go']);
    assert.deepEqual(r, { components: [], level: 'low' });
  });

  it('sub-projects beside a root project: each folder with its own manifest, and the root project one more', async () => {
    const layout = { 'mix.exs': 'defmodule App.MixProject do\nend\n', 'lib/app.ex': 'x\n', 'cli/go.mod': 'module cli\n', 'assets/package.json': '{}', 'test/app_test.exs': 'x\n' };
    const r = await touched(layout, ['cli/main.go', 'assets/build.js', 'lib/app/accounts.ex']);
    assert.deepEqual(r, { components: ['assets', 'cli', 'root'], level: 'high' });
    // The root project alone, with its tests and the repository's own files, is one project: no components to count.
    assert.deepEqual(await touched(layout, ['lib/app/a.ex', 'test/app_test.exs', 'README.md', '.github/workflows/ci.yml']), { components: [], level: 'low' });
    assert.deepEqual(await touched(layout, ['assets/app.css', 'test/app_test.exs', 'docs/x.md']), { components: ['assets'], level: 'low' }, 'tests and docs are not root code');
    assert.deepEqual(await touched(layout, ['assets/app.css', 'README.md']), { components: ['assets'], level: 'low' });
  });

  it('defined by the policy, with its own threshold', async () => {
    const defined = '  level: high\n  threshold: 3\n  define:\n    api: ["server/**"]\n    web: ["client/**"]\n    db: ["**/*.sql"]\n';
    assert.deepEqual(await touched({}, ['server/a.ts', 'client/b.ts'], defined), { components: ['api', 'web'], level: 'low' });
    assert.deepEqual(await touched({}, ['server/a.ts', 'client/b.ts', 'x/y.sql'], defined), { components: ['api', 'db', 'web'], level: 'high' });
  });

  it('inference can be turned off', async () => {
    const r = await touched({ 'package.json': JSON.stringify({ workspaces: ['packages/*'] }) }, ['packages/a/x', 'packages/b/y'], '  level: high\n  infer: false');
    assert.deepEqual(r, { components: [], level: 'low' });
  });
});
