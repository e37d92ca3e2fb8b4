// Loading the policy without the parser: the build's preset snapshots are exactly what parsing
// the presets gives, and a policy file's validated form is remembered by its text and build only.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isChangeControlError } from '../../src/core/errors';
import { loadPolicy, loadPreset } from '../../src/core/policy/load';
import { PRESET_NAMES } from '../../src/core/policy/presets';
import type { Policy } from '../../src/core/policy/schema';
import { loadPolicyQuickly, type PolicyCache } from '../../src/core/policy/source';
import { gitDirPolicyCache } from '../../src/node/policyCache';
import { fsWorkTree } from '../../src/node/workTree';
import { tempDir } from './gitRepo';

const POLICY = `version: 1
levels:
  - { id: low, title: Low }
  - { id: high, title: High }
zones:
  auth: { title: Auth, paths: ["src/auth/**"], level: high }
`;

describe('policy source: snapshots and the policy cache', () => {
  it('each preset snapshot the build makes equals parsing that preset', function () {
    this.timeout(60_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { presetSnapshots } = require(path.resolve(__dirname, '../../../esbuild.js')) as { presetSnapshots(): string };
    const snapshots = JSON.parse(presetSnapshots()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(snapshots).sort(), [...PRESET_NAMES].sort());
    for (const name of PRESET_NAMES) assert.deepStrictEqual(snapshots[name], loadPreset(name).policy, name);
  });

  it('parses a file once, then answers from the cache for the same text and build only', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, '.change-control.yml'), POLICY);
    const workTree = fsWorkTree(root);
    const commonDir = path.join(root, 'git');
    const cache = gitDirPolicyCache({ commonDir }, 'build-1')!;
    const first = await loadPolicyQuickly({ workTree }, cache);
    assert.deepStrictEqual(first, await loadPolicy({ workTree }));
    assert.deepEqual(readdirSync(path.join(commonDir, 'change-control', 'cache')).length, 1);

    // A hit is the stored value: prove it by storing a different one under the same key.
    const marked = { ...first.policy, name: 'from the cache' } as Policy;
    cache.set('.change-control.yml', POLICY, { policy: marked });
    assert.equal((await loadPolicyQuickly({ workTree }, cache)).policy.name, 'from the cache');
    // Another build, or another text, misses.
    assert.equal((await loadPolicyQuickly({ workTree }, gitDirPolicyCache({ commonDir }, 'build-2')!)).policy.name, undefined);
    writeFileSync(path.join(root, '.change-control.yml'), `${POLICY}name: edited\n`);
    assert.equal((await loadPolicyQuickly({ workTree }, cache)).policy.name, 'edited');
    // Still one entry per policy file name and build, and never more than a few in all.
    assert.deepEqual(readdirSync(path.join(commonDir, 'change-control', 'cache')).length, 2);
    for (let i = 0; i < 40; i++) await loadPolicyQuickly({ workTree }, gitDirPolicyCache({ commonDir }, `build-${i + 3}`)!);
    assert.equal(readdirSync(path.join(commonDir, 'change-control', 'cache')).length, 16);
  });

  it('a policy from the cache still knows where it sets base:, for the error that names the line', async () => {
    const root = tempDir();
    const text = `${POLICY}base: trunk\n`;
    writeFileSync(path.join(root, '.change-control.yml'), text);
    const workTree = fsWorkTree(root);
    const cache = gitDirPolicyCache({ commonDir: path.join(root, 'git') }, 'build-1')!;
    const parsed = await loadPolicyQuickly({ workTree }, cache);
    assert.ok(parsed.baseAt, 'parsing finds it');
    assert.ok(cache.get('.change-control.yml', text), 'and it was cached');
    assert.deepStrictEqual((await loadPolicyQuickly({ workTree }, cache)).baseAt, parsed.baseAt);
  });

  it('never stores a policy with problems, and reports them as parsing does', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, '.change-control.yml'), 'version: 1\nlevels: []\n');
    const stored: string[] = [];
    const cache: PolicyCache = { get: () => undefined, set: (file) => void stored.push(file) };
    await assert.rejects(loadPolicyQuickly({ workTree: fsWorkTree(root) }, cache), (err) => isChangeControlError(err) && err.code === 'POLICY_INVALID');
    assert.deepEqual(stored, []);
  });

  it('treats an unreadable or foreign cache entry as a miss', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, '.change-control.yml'), POLICY);
    const commonDir = path.join(root, 'git');
    const cache = gitDirPolicyCache({ commonDir }, 'build-1')!;
    await loadPolicyQuickly({ workTree: fsWorkTree(root) }, cache);
    const dir = path.join(commonDir, 'change-control', 'cache');
    for (const f of readdirSync(dir)) writeFileSync(path.join(dir, f), '{ not json');
    assert.equal(cache.get('.change-control.yml', POLICY), undefined);
    assert.equal((await loadPolicyQuickly({ workTree: fsWorkTree(root) }, cache)).policy.levels.length, 2);
    // A cache it cannot write (a file where its folder should be) is no error either.
    const blocked = path.join(root, 'blocked');
    mkdirSync(blocked);
    writeFileSync(path.join(blocked, 'change-control'), 'a file');
    assert.equal((await loadPolicyQuickly({ workTree: fsWorkTree(root) }, gitDirPolicyCache({ commonDir: blocked }, 'b')!)).policy.levels.length, 2);
  });

  it('names the build by the bundled parser beside it, and has no cache without one', () => {
    // Compiled to out/, there is no dist/validators.js beside src/node/policyCache.js.
    assert.equal(gitDirPolicyCache({ commonDir: tempDir() }), undefined);
  });
});
