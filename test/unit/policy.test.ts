import assert from 'node:assert/strict';
import { ChangeControlError } from '../../src/core/errors';
import { loadPolicy, loadPreset, mergePolicy, parsePolicyText } from '../../src/core/policy/load';
import { PRESETS, PRESET_NAMES } from '../../src/core/policy/presets';
import { formatPolicyProblems } from '../../src/core/policy/problems';
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
      const err = problemsOf('version: 1\nlevels:\n  - id: a\n    titel: A\nzones: 42\nfreeze: 3\n');
      assert.ok(err.problems.length >= 3);
      const lines = err.problems.map((p) => p.line);
      assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
      assert.match(err.message, /and \d+ more problems?\)$/);
    });
  });

  describe('several problems: all of them, in file order, each once', () => {
    const at = (err: ChangeControlError) => err.problems.map((p) => `${p.line}:${p.column} ${p.key}: ${p.message}`);
    const LEVELS_MISSING = '1:1 levels: missing: expected a list of levels — or start from a preset with "extends: two-tier"';

    it('a wrong type further down is reported, not hidden behind a missing section', () => {
      assert.deepEqual(at(problemsOf('version: 1\nname: demo\nzones: 42\n')), [LEVELS_MISSING, '3:8 zones: expected a mapping, found number 42']);
    });
    it('an unknown top-level key is reported with its did-you-mean', () => {
      assert.deepEqual(at(problemsOf('version: 1\nname: demo\nzonez: {}\n')), [LEVELS_MISSING, '3:1 zonez: unknown key "zonez". Did you mean "zones"?']);
    });
    it('an unsupported version is the one problem: the rest was written for another version', () => {
      const expected = ['1:10 version: expected 1, found number 99: this build reads policy version 1; upgrade Change Control or set version: 1 (the rest of the file was not checked)'];
      assert.deepEqual(at(problemsOf('version: 99\n')), expected);
      assert.deepEqual(at(problemsOf('version: 99\nlevels: 3\nzonez: {}\nfreeze: 4\n')), expected);
      assert.equal(problemsOf('version: 99\n').message, `policy.yml:${expected[0].replace(' ', ': ')}`);
    });
    it('a version below 1 says to set version 1, not to upgrade', () => {
      assert.deepEqual(at(problemsOf('version: 0\nlevels: [{id: a, title: A}]\n')), [
        '1:10 version: expected 1, found number 0: policy version 1 is the only version; set version: 1 (the rest of the file was not checked)',
      ]);
    });
    it('a missing or mistyped version comes first, and the rest is still checked as version 1', () => {
      assert.deepEqual(at(problemsOf('name: demo\nlevels: 42\n')), ['1:1 version: missing: expected `version: 1` (the policy format) at the top of the file', '2:9 levels: expected a list, found number 42']);
      assert.deepEqual(at(problemsOf('levels: 42\nversion: "1"\n')), ['2:10 version: expected the number 1, found "1": write version: 1 without quotes', '1:9 levels: expected a list, found number 42']);
    });
    it('a preset in extends supplies the version and the levels', () => {
      assert.equal(parsePolicyText('extends: two-tier\n', 'p.yml').policy.levels.length, 2);
    });
    it('a mistyped key is one problem, not also "missing" for the key it was meant to be', () => {
      const err = problemsOf('version: 1\nlevels:\n  - id: a\n    title: A\nzones:\n  auth:\n    title: Auth\n    levle: a\n');
      assert.deepEqual(at(err), ['8:5 zones.auth.levle: unknown key "levle". Did you mean "level"?']);
      assert.equal(err.message, 'policy.yml:8:5: zones.auth.levle: unknown key "levle". Did you mean "level"?', 'the README example');
      assert.deepEqual(at(problemsOf('version: 1\nlevles: []\n')), ['2:1 levles: unknown key "levles". Did you mean "levels"?']);
    });
    it('each unknown key is its own problem at its own position', () => {
      assert.deepEqual(at(problemsOf('version: 1\nlevels:\n  - id: a\n    title: A\n    foo: 1\n    titel: B\n')), [
        '5:5 levels.0.foo: unknown key "foo". Expected one of: id, title, description, checklist',
        '6:5 levels.0.titel: unknown key "titel". Did you mean "title"?',
      ]);
    });
    it('a union names every alternative once', () => {
      assert.deepEqual(at(problemsOf('version: 1\nlevels: [{id: a, title: A}]\nchecklist:\n  cr: {kind: change-request, title: CR, fields: [3]}\n')), [
        '4:50 checklist.cr.fields.0: expected one of description, category, deployment-plan, rollback-plan, risk-assessment, test-plan, post-implementation-review, deployment-time or a text, found number 3',
      ]);
    });
    it('no two problems share a key', () => {
      const err = problemsOf('version: 1\nlevels:\n  - {id: a, title: A, checklist: 3}\n  - {id: B, titel: x}\nzones: {Auth: 1, b: 2}\nchecklist: {x: 1, y: {kind: review}}\n');
      const keys = err.problems.map((p) => p.key);
      assert.deepEqual(keys, [...new Set(keys)]);
    });
  });

  describe('formatting problems for a terminal', () => {
    const p = (line: number, column: number, key: string, message: string) => ({ file: 'f.yml', line, column, key, message });
    it('one problem is one line, the same as the error message', () => {
      const err = problemsOf('version: 1\nlevels: 42\n');
      assert.deepEqual(formatPolicyProblems(err.problems), [err.message]);
      assert.equal(err.message, 'policy.yml:2:9: levels: expected a list, found number 42');
    });
    it('orders by line and column, the version first, problems without a position last', () => {
      const lines = formatPolicyProblems([p(0, 0, '', 'no position'), p(3, 2, 'b', 'm'), p(3, 1, 'a', 'm'), p(9, 9, 'version', 'v'), p(1, 1, '', 'doc')]);
      assert.deepEqual(lines, ['f.yml:9:9: version: v', 'f.yml:1:1: doc', 'f.yml:3:1: a: m', 'f.yml:3:2: b: m', 'f.yml: no position']);
    });
    it('shows the first ones and counts the rest', () => {
      const many = Array.from({ length: 25 }, (_, i) => p(i + 1, 1, `k${i}`, 'm'));
      const lines = formatPolicyProblems(many, 20);
      assert.equal(lines.length, 21);
      assert.equal(lines[19], 'f.yml:20:1: k19: m');
      assert.equal(lines[20], '…and 5 more problems');
      assert.equal(formatPolicyProblems(many.slice(0, 21), 20)[20], '…and 1 more problem');
      assert.equal(formatPolicyProblems(many.slice(0, 20), 20).length, 20);
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
