import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { emptyEvidence } from '../../src/core/checklist/evidence';
import { inspectRepository } from '../../src/core/change/change';
import { createGit } from '../../src/node/git';
import { evidencePath, readEvidence, writeEvidence } from '../../src/node/evidenceStore';
import { assessRepo } from './assessRepo';
import { TestRepo } from './gitRepo';

const POLICY = `
version: 1
levels:
  - { id: low, title: Low, checklist: [e2e] }
checklist:
  e2e: { kind: attestation, title: Tested end to end }
zones:
  auth: { title: Auth, level: low, paths: ["src/auth/**"] }
`;

describe('evidence over real repositories', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  it('an attestation goes stale when a later commit touches a zone it covered, not otherwise', async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'README.md': 'x\n' }, 'base');
    repo.git('checkout', '-q', '-b', 'f');
    const attestedAt = repo.commitFiles({ 'src/auth/a.ts': '1\n' });
    const evidence = { ...emptyEvidence(), attestations: { e2e: { by: 'dev', at: '2026-11-21T00:00:00Z', commit: attestedAt, zones: ['auth'] } } };
    assert.equal((await assessRepo(repo.root, { policyText: POLICY, evidence })).checklist[0].state, 'done');
    repo.commitFiles({ 'docs/x.md': 'unrelated\n' });
    assert.equal((await assessRepo(repo.root, { policyText: POLICY, evidence })).checklist[0].state, 'done', 'a later commit outside the zone');
    repo.commitFiles({ 'src/auth/a.ts': '2\n' });
    const stale = (await assessRepo(repo.root, { policyText: POLICY, evidence })).checklist[0];
    assert.equal(stale.state, 'pending');
    assert.equal(stale.stale, true);
  });

  it('the store keeps evidence per branch in the git dir, and never loses an unreadable record', async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commitFiles({ 'a': '1' });
    const state = await inspectRepository(createGit(repo.root));
    assert.ok(evidencePath(state).startsWith(path.join(repo.root, '.git', 'change-control')));
    const evidence = { ...emptyEvidence(), changeRecord: { description: 'Rotate keys' } };
    await writeEvidence(state, evidence);
    assert.deepEqual((await readEvidence(state)).evidence, evidence);
    assert.deepEqual((await readEvidence({ ...state, branch: 'other' })).evidence, emptyEvidence());

    mkdirSync(path.dirname(evidencePath(state)), { recursive: true });
    writeFileSync(evidencePath(state), '{ not json');
    const read = await readEvidence(state);
    assert.deepEqual(read.evidence, emptyEvidence());
    assert.match(read.warning ?? '', /could not be read .* it was kept as /);
    const kept = readdirSync(path.dirname(evidencePath(state))).filter((f) => f.includes('.unreadable-'));
    assert.equal(kept.length, 1, 'the unreadable record is moved aside, not deleted');
  });
});

describe('concurrent evidence writers', () => {
  it('lose nothing: every update lands', async () => {
    const repo = TestRepo.create();
    try {
      repo.commitFiles({ a: '1' });
      const state = await inspectRepository(createGit(repo.root));
      const { updateEvidence } = await import('../../src/node/evidenceStore');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          updateEvidence(state, (e) => ({ ...e, changeRecord: { ...e.changeRecord, [`field-${i}`]: `value ${i}` } })),
        ),
      );
      const { evidence } = await readEvidence(state);
      assert.equal(Object.keys(evidence.changeRecord).length, 20);
    } finally {
      repo.dispose();
    }
  });
});
