// What a policy written by anyone who can open a pull request cannot do to the editor: hang it,
// exhaust its memory, or fail without saying where. Each problem is a policy error with a position.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChangeControlError } from '../../src/core/errors';
import { parsePolicyText } from '../../src/core/policy/load';
import { LIMITS, policyJsonSchema } from '../../src/core/policy/schema';
import { evaluateChecklist } from '../../src/core/checklist/evaluate';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { applyContentRule } from '../../src/core/rules/contentRule';
import { compilePolicy } from '../../src/core/rules/compiledPolicy';

const MINIMAL = 'version: 1\nlevels:\n  - id: low\n    title: Low\n  - id: high\n    title: High\n';

function rejected(text: string): ChangeControlError {
  try {
    parsePolicyText(text, 'policy.yml');
  } catch (err) {
    assert.ok(err instanceof ChangeControlError, `expected a policy error, got ${String(err)}`);
    for (const p of err.problems) {
      assert.equal(p.file, 'policy.yml');
      assert.ok(p.line > 0 && p.column > 0, `every problem has a position: ${JSON.stringify(p)}`);
    }
    return err;
  }
  assert.fail('expected the policy to be rejected');
}

function problemAt(text: string, key: string, message: RegExp): { line: number; column: number; message: string } {
  const err = rejected(text);
  const p = err.problems.find((x) => x.key === key && message.test(x.message));
  assert.ok(p, `no problem at ${key} matching ${message}; got ${JSON.stringify(err.problems).slice(0, 2000)}`);
  return p;
}

const contentZone = (patterns: string[], ignoreCase = false) =>
  `${MINIMAL}zones:\n  s:\n    title: S\n    level: high\n    ignoreCase: ${ignoreCase}\n    content:\n${patterns.map((p) => `      - ${JSON.stringify(p)}\n`).join('')}`;

/** Runs the content rule on one changed line, in a worker: a hang fails the test instead of the suite. */
function contentRuleInWorker(policyText: string, line: string, timeoutMs = 15000): Promise<string[]> {
  const root = path.join(__dirname, '..', '..', 'src', 'core');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { parsePolicyText } = require(workerData.root + '/policy/load');
    const { compilePolicy } = require(workerData.root + '/rules/compiledPolicy');
    const { applyContentRule } = require(workerData.root + '/rules/contentRule');
    const compiled = compilePolicy(parsePolicyText(workerData.policyText, 'policy.yml').policy);
    const file = { path: 'src/a.ts', status: 'modified' };
    const lines = new Map([['src/a.ts', [{ line: 1, text: workerData.line, side: 'added' }]]]);
    const { hits } = applyContentRule(compiled, [{ file, zones: [], contentCandidates: ['s'] }], lines);
    parentPort.postMessage(hits.map((h) => h.zone));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { root, policyText, line } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the content rule did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (m: string[]) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('policy limits: no policy can hang the editor, every mistake has a position', () => {
  describe('content patterns are matched in linear time', () => {
    const line = `${'a'.repeat(40)}!`;
    for (const pattern of ['(a+)+$', '(a|aa)+$', '(a*)*b', '(.*a){20}$']) {
      it(`${pattern} on a line of 40 "a" and a "!" returns`, async () => {
        assert.deepEqual(await contentRuleInWorker(contentZone([pattern]), line), []);
      });
    }

    it('still matches, and reports what matched, case-insensitively when asked', () => {
      const compiled = compilePolicy(parsePolicyText(contentZone(['secret_[a-z]+'], true), 'policy.yml').policy);
      const file = { path: 'src/a.ts', status: 'modified' as const };
      const lines = new Map([['src/a.ts', [{ line: 3, text: 'const k = SECRET_NEW;', side: 'added' as const }]]]);
      const { hits, reasons } = applyContentRule(compiled, [{ file, zones: [], contentCandidates: ['s'] }], lines);
      assert.deepEqual(hits, [{ path: 'src/a.ts', zone: 's' }]);
      assert.match(reasons[0].message, /adds `SECRET_NEW`/);
      const exact = compilePolicy(parsePolicyText(contentZone(['secret_[a-z]+']), 'policy.yml').policy);
      assert.deepEqual(applyContentRule(exact, [{ file, zones: [], contentCandidates: ['s'] }], lines).hits, []);
    });

    const refused: [string, RegExp][] = [
      ['(a)\\1', /backreference.*character 4/],
      ['(?<n>a)\\k<n>', /named backreference.*character 8/],
      ['foo(?=bar)', /lookaround.*character 4/],
      ['foo(?!bar)', /lookaround.*character 4/],
      ['(?<=foo)bar', /lookaround.*character 1/],
      ['(?<!foo)bar', /lookaround.*character 1/],
      ['(unclosed', /not a valid regular expression/],
    ];
    for (const [pattern, message] of refused) {
      it(`refuses ${pattern} at validation, at the pattern's position`, () => {
        const p = problemAt(contentZone(['ok', pattern]), 'zones.s.content.1', message);
        assert.equal(p.line, 14);
        assert.equal(p.column, 9);
      });
    }

    it('reads JavaScript code point escapes (\\uXXXX, \\u{X…}, surrogate pairs) as RE2 spells them', () => {
      const policy = parsePolicyText(contentZone(['caf\\u00e9', '\\u{1F600}', '\\uD83D\\uDE80', '^[\\u0041-\\u005A]+$', '\\\\u0041']), 'policy.yml').policy;
      const compiled = compilePolicy(policy);
      const file = { path: 'src/a.ts', status: 'modified' as const };
      const hitsOn = (text: string) =>
        applyContentRule(compiled, [{ file, zones: [], contentCandidates: ['s'] }], new Map([['src/a.ts', [{ line: 1, text, side: 'added' as const }]]])).hits.length;
      for (const text of ['un café', 'ok 😀', 'go 🚀', 'ABC', 'a literal \\u0041']) assert.equal(hitsOn(text), 1, text);
      for (const text of ['cafe', 'abc', 'A1']) assert.equal(hitsOn(text), 0, text);
      const p = problemAt(contentZone(['\\u00g1']), 'zones.s.content.0', /invalid escape sequence `\\u`.*write a code point as \\uXXXX/);
      assert.equal(p.line, 13);
    });

    it('accepts [\\1] and \\\\1, which are no backreferences', () => {
      parsePolicyText(contentZone(['[(?=]', '\\\\1', '\\(?=x']), 'policy.yml');
    });

    it('refuses a pattern of 40,000 characters at validation', () => {
      const p = problemAt(contentZone(['a'.repeat(40_000)]), 'zones.s.content.0', /at most 1000 characters, found 40000/);
      assert.equal(p.line, 13);
      assert.ok(p.message.length < 200, 'the message does not echo the pattern');
    });
  });

  describe('globs are bounded before they are compiled', () => {
    const zoneWith = (key: 'paths' | 'exclude', globs: string[]) =>
      `${MINIMAL}zones:\n  s:\n    title: S\n    level: high\n    ${key}:\n${globs.map((g) => `      - ${JSON.stringify(g)}\n`).join('')}`;

    it('refuses 24 brace pairs at validation, at the glob, without expanding them', () => {
      const glob = '{a,b}'.repeat(24);
      const started = Date.now();
      const p = problemAt(zoneWith('paths', ['src/**', glob]), 'zones.s.paths.1', /expand to more than 256 globs/);
      assert.equal(p.line, 13);
      assert.ok(Date.now() - started < 10_000, 'validation counts, it does not expand');
    });

    it('refuses braces nested too deep', () => {
      problemAt(zoneWith('exclude', ['{a,{b,{c,{d,{e,{f,g}}}}}}']), 'zones.s.exclude.0', /nest 6 deep/);
    });

    it('accepts a few braces, and a "{" without its "}"', () => {
      const { policy } = parsePolicyText(zoneWith('paths', ['src/{a,b}/{c,d}/**', 'odd{name', '{x}']), 'policy.yml');
      assert.equal(compilePolicy(policy).zonePaths.size, 6);
    });

    for (const glob of [' ', '/', './', '\\']) {
      it(`refuses the exclude glob ${JSON.stringify(glob)}, empty once normalised, at its position`, () => {
        const p = problemAt(zoneWith('exclude', [glob]), 'zones.s.exclude.0', /empty once/);
        assert.equal(p.line, 12);
        assert.equal(p.column, 9);
      });
    }
  });

  describe('sizes are bounded, and messages stay short', () => {
    it('a 1,000,000-character kind is refused quickly, and the message does not echo it', () => {
      const started = Date.now();
      const err = rejected(`${MINIMAL}checklist:\n  x:\n    kind: ${'k'.repeat(1_000_000)}\n    title: X\n`);
      assert.ok(Date.now() - started < 10_000);
      for (const p of err.problems) assert.ok(p.message.length < 400, p.message.slice(0, 200));
      assert.ok(err.message.length < 500);
    });

    it('a 1,000,000-character unknown level id makes a short problem at its position', () => {
      const err = rejected(`${MINIMAL}zones:\n  s:\n    title: S\n    level: ${'z'.repeat(1_000_000)}\n`);
      const p = err.problems.find((x) => x.key === 'zones.s.level');
      assert.ok(p, JSON.stringify(err.problems).slice(0, 500));
      assert.equal(p.line, 10);
      assert.match(p.message, /at most 64 characters/);
      assert.ok(err.message.length < 500);
    });

    it('an unknown level id a little too long for did-you-mean is clipped in the message', () => {
      const id = `a${'b'.repeat(62)}`;
      problemAt(`${MINIMAL}zones:\n  s:\n    title: S\n    level: ${id}\n`, 'zones.s.level', /unknown level/);
    });

    it('a list of 50,000 globs or levels is refused quickly, at the list', () => {
      const started = Date.now();
      const globs = Array.from({ length: 50_000 }, (_, i) => `src/${i}/**`);
      const p = problemAt(`${MINIMAL}zones:\n  s:\n    title: S\n    level: high\n    paths: [${globs.join(', ')}]\n`, 'zones.s.paths', /at most 1000 entries, found 50000/);
      assert.equal(p.line, 11);
      const levels = Array.from({ length: 50_000 }, (_, i) => `{id: l${i}, title: L}`);
      problemAt(`version: 1\nlevels: [${levels.join(', ')}]\n`, 'levels', /at most 1000 entries/);
      assert.ok(Date.now() - started < 15_000);
    });

    it('the JSON Schema carries the limits', () => {
      const schema = JSON.stringify(policyJsonSchema());
      assert.match(schema, /"maxLength":64/);
      assert.match(schema, /"maxItems":1000/);
    });
  });

  describe('an id is an id, even one Object.prototype has', () => {
    const { policy } = parsePolicyText(
      `version: 1
levels:
  - { id: low, title: Low, checklist: [constructor, record] }
checklist:
  constructor: { kind: attestation, title: Built }
  record: { kind: change-request, title: CR, fields: [constructor, description] }
`,
      'policy.yml',
    );
    const evaluate = (evidence: Evidence) =>
      new Map(
        evaluateChecklist({
          policy,
          levelId: 'low',
          zones: [],
          migrationsBeyond: false,
          evidence,
          headSha: 'a'.repeat(40),
          dirty: false,
          zonesChangedSince: new Map(),
          freeze: null,
          now: new Date('2026-11-21T00:00:00Z'),
          files: [],
        }).map((e) => [e.id, e]),
      );

    it('an item "constructor" with nothing recorded is pending, and a field "constructor" is missing', () => {
      const c = evaluate(emptyEvidence());
      assert.equal(c.get('constructor')?.state, 'pending');
      assert.equal(c.get('record')?.state, 'pending');
      assert.deepEqual(c.get('record')?.fields?.map((f) => [f.id, f.value]), [['constructor', ''], ['description', '']]);
    });

    it('a key "__proto__" next to extends is an unknown key at its own position', () => {
      const p = problemAt('extends: two-tier\n__proto__: {x: 1}\n', '__proto__', /unknown key "__proto__"/);
      assert.equal(p.line, 2);
    });

    it('recorded under "constructor", they are done', () => {
      const at = '2026-11-20T00:00:00Z';
      const evidence: Evidence = { ...emptyEvidence() };
      evidence.attestations = { ...evidence.attestations };
      Object.defineProperty(evidence.attestations, 'constructor', { value: { by: 'me', at, commit: 'a'.repeat(40), zones: [] }, enumerable: true });
      evidence.changeRecord = { description: 'What', constructor: 'Who builds it' } as Record<string, string>;
      const c = evaluate(evidence);
      assert.equal(c.get('constructor')?.state, 'done');
      assert.equal(c.get('record')?.state, 'done');
    });
  });

  describe('YAML that the library reads but a policy cannot hold', () => {
    it('an alias to no anchor is a policy error at the alias', () => {
      const err = rejected(`${MINIMAL}name: *nowhere\n`);
      assert.equal(err.code, 'POLICY_SYNTAX');
      assert.equal(err.problems[0].line, 7);
      assert.equal(err.problems[0].column, 7);
      assert.match(err.problems[0].message, /alias "\*nowhere" names no anchor/);
    });

    it('an alias bomb is a policy error, not an internal one', () => {
      const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
      const err = rejected(`${MINIMAL}${rows.join('\n')}\n`);
      assert.equal(err.code, 'POLICY_SYNTAX');
      assert.match(err.problems[0].message, /aliases expand too far/);
      assert.equal(err.problems[0].line, 8);
    });

    it('nesting past the limit says so at its position, both within what the parser follows and beyond it', () => {
      for (const depth of [LIMITS.nesting + 1, 1000]) {
        const err = rejected(`${MINIMAL}x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
        assert.equal(err.code, 'POLICY_SYNTAX');
        assert.equal(err.problems.length, 1);
        assert.equal(err.problems[0].line, 7);
        assert.match(err.problems[0].message, new RegExp(`^nested too deeply \\(limit ${LIMITS.nesting} levels of lists and mappings\\)`));
      }
      const block = `${MINIMAL}x:\n${Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:\n`).join('')}`;
      assert.match(rejected(block).problems[0].message, /^nested too deeply/);
      // At the limit itself, nesting is only a shape like any other.
      const atLimit = `${MINIMAL}x: ${'['.repeat(LIMITS.nesting - 1)}${']'.repeat(LIMITS.nesting - 1)}\n`;
      assert.doesNotMatch(rejected(atLimit).problems[0].message, /nested too deeply/);
    });

    it('CR-only line endings (classic Mac) are line breaks, as YAML says, with the same positions', () => {
      const lf = `# a comment first\n${MINIMAL}zones:\n  a: { title: A, paths: [x], level: nope }\n`;
      const cr = lf.replace(/\n/g, '\r');
      const problems = rejected(cr).problems;
      assert.deepEqual(problems, rejected(lf).problems);
      assert.equal(problems[0].key, 'zones.a.level');
      assert.equal(problems[0].line, 9);
      assert.doesNotThrow(() => parsePolicyText(MINIMAL.replace(/\n/g, '\r'), 'policy.yml'));
    });

    it('a complex key is a policy error, and nothing is written to stderr', () => {
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      const write = process.stderr.write.bind(process.stderr);
      const written: string[] = [];
      process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        const err = rejected(`${MINIMAL}? [a, b]\n: c\n`);
        assert.equal(err.problems[0].line, 7);
        assert.match(err.problems[0].message, /a key must be a plain text/);
      } finally {
        process.stderr.write = write;
        process.off('warning', onWarning);
      }
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          assert.deepEqual(warnings, []);
          assert.deepEqual(written, []);
          resolve();
        }),
      );
    });
  });
});
