// What a policy written by anyone who can open a pull request cannot do to the editor: hang it,
// exhaust its memory, or fail without saying where. Each problem is a policy error with a position.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChangeControlError } from '../../src/core/errors';
import { parsePolicyText } from '../../src/core/policy/load';
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

    it('accepts [\\1] and \\\\1, which are no backreferences', () => {
      parsePolicyText(contentZone(['[(?=]', '\\\\1', '\\(?=x']), 'policy.yml');
    });

    it('refuses a pattern of 40,000 characters at validation', () => {
      const p = problemAt(contentZone(['a'.repeat(40_000)]), 'zones.s.content.0', /at most 1000 characters, found 40000/);
      assert.equal(p.line, 13);
      assert.ok(p.message.length < 200, 'the message does not echo the pattern');
    });
  });
});
