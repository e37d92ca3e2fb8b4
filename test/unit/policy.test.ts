import assert from 'node:assert/strict';
import { ChangeControlError } from '../../src/core/errors';
import { loadPolicy, loadPreset, mergePolicy, parsePolicyText } from '../../src/core/policy/load';
import { PRESETS, PRESET_NAMES } from '../../src/core/policy/presets';
import { policyJsonSchema } from '../../src/core/policy/schema';
import type { WorkTree } from '../../src/core/ports';

const MINIMAL = 'version: 1\nlevels:\n  - id: low\n    title: Low\n';

function problemsOf(text: string): ChangeControlError {
  try {
    parsePolicyText(text, 'policy.yml');
  } catch (err) {
    assert.ok(err instanceof ChangeControlError);
    return err;
  }
  assert.fail('expected the policy to be rejected');
}

function expectProblem(text: string, expected: { line: number; column?: number; key: string; message: RegExp; code?: string }): void {
  const err = problemsOf(text);
  assert.equal(err.code, expected.code ?? 'POLICY_INVALID');
  const p = err.problems.find((x) => x.key === expected.key && expected.message.test(x.message));
  assert.ok(p, `no problem at ${expected.key} matching ${expected.message}; got ${JSON.stringify(err.problems)}`);
  assert.equal(p.file, 'policy.yml');
  assert.equal(p.line, expected.line, `line of ${expected.key}`);
  if (expected.column !== undefined) assert.equal(p.column, expected.column, `column of ${expected.key}`);
  // The one-line message names file, line and column.
  assert.match(err.message, /^policy\.yml:\d+:\d+: /);
  assert.doesNotMatch(err.message, /\n/);
}

describe('policy loading', () => {
  it('accepts a minimal policy and fills defaults', () => {
    const { policy, source } = parsePolicyText(MINIMAL, 'p.yml');
    assert.deepEqual(source, { kind: 'file', path: 'p.yml' });
    assert.deepEqual(policy.levels, [{ id: 'low', title: 'Low', checklist: [] }]);
    assert.deepEqual(policy.zones, {});
    assert.deepEqual(policy.freeze, []);
  });

  it('accepts JSON, since JSON is YAML', () => {
    const { policy } = parsePolicyText(JSON.stringify({ version: 1, levels: [{ id: 'a', title: 'A' }] }), 'p.json');
    assert.equal(policy.levels[0].id, 'a');
  });

  describe('rejects bad policies with file, line, column, key, expected and found', () => {
    it('YAML syntax errors', () => expectProblem('version: 1\nlevels: [\n', { line: 3, key: '', message: /YAML syntax error/, code: 'POLICY_SYNTAX' }));
    it('duplicate keys', () => expectProblem('version: 1\nversion: 1\nlevels: []\n', { line: 2, key: '', message: /unique|each key may appear once/i, code: 'POLICY_SYNTAX' }));
    it('tabs for indentation', () => {
      const err = problemsOf('version: 1\nlevels:\n\t- id: a\n');
      assert.equal(err.code, 'POLICY_SYNTAX');
    });
    it('an empty file', () => expectProblem('', { line: 1, key: '', message: /the file is empty/ }));
    it('a document that is not a mapping', () => expectProblem('- a\n- b\n', { line: 1, key: '', message: /expected a mapping.*found a list/ }));
    it('a wrong version', () => expectProblem('version: 2\nlevels: [{id: a, title: A}]\n', { line: 1, column: 10, key: 'version', message: /expected 1, found number 2/ }));
    it('a missing required key', () => expectProblem('version: 1\n', { line: 1, key: 'levels', message: /missing: expected a list/ }));
    it('an unknown key, with did-you-mean', () =>
      expectProblem(MINIMAL + 'zoens: {}\n', { line: 5, column: 1, key: 'zoens', message: /unknown key "zoens"\. Did you mean "zones"\?/ }));
    it('an unknown nested key, with did-you-mean', () =>
      expectProblem('version: 1\nlevels:\n  - id: a\n    titel: A\n', { line: 4, column: 5, key: 'levels.0.titel', message: /Did you mean "title"/ }));
    it('a wrong type', () =>
      expectProblem(MINIMAL + 'zones:\n  auth:\n    title: Auth\n    level: low\n    paths: "src/auth/**"\n', {
        line: 9,
        key: 'zones.auth.paths',
        message: /expected a list, found "src\/auth\/\*\*"/,
      }));
    it('an unknown checklist kind, with did-you-mean', () =>
      expectProblem(MINIMAL + 'checklist:\n  x:\n    kind: atestation\n    title: X\n', { line: 7, key: 'checklist.x.kind', message: /found "atestation"\. Did you mean "attestation"/ }));
    it('a reference to an unknown level', () =>
      expectProblem(MINIMAL + 'zones:\n  auth:\n    title: Auth\n    level: hihg\n', { line: 8, column: 12, key: 'zones.auth.level', message: /unknown level "hihg"/ }));
    it('a reference to an unknown checklist item', () =>
      expectProblem('version: 1\nlevels:\n  - id: a\n    title: A\n    checklist: [tests]\n', { line: 5, key: 'levels.0.checklist.0', message: /unknown checklist item "tests"/ }));
    it('an invalid content pattern', () =>
      expectProblem(MINIMAL + 'zones:\n  s:\n    title: S\n    level: low\n    content: ["(unclosed"]\n', { line: 9, key: 'zones.s.content.0', message: /not a valid regular expression/ }));
    it('a bad enum value', () =>
      expectProblem(MINIMAL + 'freeze:\n  - title: F\n    from: 2026-12-20\n    until: 2026-12-31\n    mode: blok\n', { line: 9, key: 'freeze.0.mode', message: /expected one of block, emergency-only, found "blok"\. Did you mean "block"/ }));
    it('a freeze window that ends before it starts', () =>
      expectProblem(MINIMAL + 'freeze:\n  - title: F\n    from: 2026-12-20\n    until: 2026-12-01\n', { line: 8, key: 'freeze.0.until', message: /is before "from"/ }));
    it('a bad date', () => expectProblem(MINIMAL + 'freeze:\n  - title: F\n    from: soon\n    until: 2026-12-01\n', { line: 7, key: 'freeze.0.from', message: /expected a date/ }));
    it('an unknown preset in extends, with did-you-mean', () => expectProblem('version: 1\nextends: two-teir\n', { line: 2, key: 'extends', message: /Did you mean "two-tier"/ }));
    it('a bad id', () => expectProblem('version: 1\nlevels:\n  - id: Not An Id\n    title: A\n', { line: 3, key: 'levels.0.id', message: /an id/ }));
    it('a duplicate level', () =>
      expectProblem('version: 1\nlevels:\n  - {id: a, title: A}\n  - {id: a, title: B}\n', { line: 4, key: 'levels.1.id', message: /listed twice/ }));
    it('lists every problem, sorted by line', () => {
      const err = problemsOf('version: 2\nlevels:\n  - id: a\n    titel: A\n');
      assert.ok(err.problems.length >= 3);
      const lines = err.problems.map((p) => p.line);
      assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
      assert.match(err.message, /and \d+ more problems?\)$/);
    });
  });

  describe('extends', () => {
    it('starts from a preset and overrides parts of it', () => {
      const { policy } = parsePolicyText('version: 1\nextends: two-tier\nzones:\n  auth:\n    paths: ["lib/login/**"]\n  core-logic: null\n', 'p.yml');
      assert.deepEqual(policy.zones.auth.paths, ['lib/login/**']);
      assert.equal(policy.zones.auth.level, 'significant', 'untouched keys of the preset stay');
      assert.equal(policy.zones['core-logic'], undefined, 'null removes a preset entry');
      assert.equal(policy.levels.length, 2);
    });
    it('merges objects and replaces lists', () => {
      assert.deepEqual(mergePolicy({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, extends: 'x' }), { a: { b: 1, c: [3] }, d: 1 });
    });
  });

  describe('finding the policy', () => {
    const tree = (files: Record<string, string>): WorkTree => ({ readFile: async (p) => (p in files ? Buffer.from(files[p]) : undefined) });
    it('uses .github/change-control.yml first', async () => {
      const loaded = await loadPolicy({ workTree: tree({ '.github/change-control.yml': MINIMAL, '.change-control.yml': 'broken: [' }) });
      assert.deepEqual(loaded.source, { kind: 'file', path: '.github/change-control.yml' });
    });
    it('finds .change-control.yml', async () => {
      const loaded = await loadPolicy({ workTree: tree({ '.change-control.yml': MINIMAL }) });
      assert.deepEqual(loaded.source, { kind: 'file', path: '.change-control.yml' });
    });
    it('falls back to the two-tier preset', async () => {
      const loaded = await loadPolicy({ workTree: tree({}) });
      assert.deepEqual(loaded.source, { kind: 'preset', name: 'two-tier' });
    });
    it('says so when an explicit file is missing', async () => {
      await assert.rejects(loadPolicy({ workTree: tree({}), policyPath: 'nope.yml' }), /nope\.yml does not exist/);
    });
    it('rejects an unknown preset with did-you-mean', () => {
      assert.throws(() => loadPreset('itl'), /Unknown preset "itl"\. Did you mean "itil"\?/);
    });
  });

  describe('presets', () => {
    for (const name of PRESET_NAMES) {
      it(`${name} loads, and its text is what init writes`, () => {
        const { policy, source } = loadPreset(name);
        assert.deepEqual(source, { kind: 'preset', name });
        assert.ok(policy.levels.length >= 2);
        assert.ok(policy.emergency, 'both presets have an emergency path');
        assert.ok(policy.emergency.postReview, 'with a review afterwards');
        assert.match(PRESETS[name], /^# Change Control policy/);
      });
    }
  });

  it('exports a JSON Schema generated from the same schema', () => {
    const schema = policyJsonSchema() as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    assert.ok(schema.properties.zones && schema.properties.levels && schema.properties.checklist && schema.properties.freeze);
    assert.equal(schema.additionalProperties, false, 'unknown keys are errors in the editor too');
    assert.ok(schema.required.includes('version'));
  });
});
