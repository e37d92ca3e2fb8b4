// Every policy the README shows is a policy this build accepts: a newcomer copies them first.
// Whole policies must load as they are; fragments (a `notify:` section, a checklist item) must load
// inside a minimal policy. Workflow snippets must at least be YAML.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isChangeControlError } from '../../src/core/errors';
import { formatPolicyProblems } from '../../src/core/policy/problems';
import { parsePolicyText } from '../../src/core/policy/load';

const README = readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => ({ text: m[1], line: README.slice(0, m.index).split('\n').length + 1 }));

const MINIMAL = 'version: 1\nlevels:\n  - { id: regular, title: Regular }\n';

function load(text: string, where: string): void {
  try {
    parsePolicyText(text, where);
  } catch (err) {
    if (isChangeControlError(err)) assert.fail(`${where}: ${(err.problems.length ? formatPolicyProblems(err.problems) : [err.message]).join('\n')}`);
    throw err;
  }
}

describe('the policies in the README', () => {
  it('has policies to check', () => assert.ok(blocks.filter((b) => /^version:/m.test(b.text)).length >= 2));

  for (const block of blocks) {
    const where = `README.md:${block.line}`;
    if (/^version:/m.test(block.text)) {
      it(`${where}: a whole policy, as written`, () => load(block.text, where));
    } else if (/^notify:/m.test(block.text)) {
      it(`${where}: a notify section, inside a minimal policy`, () => load(`${MINIMAL}${block.text}`, where));
    } else if (/^ {2}[a-z][a-z0-9_-]*:\n {4}kind:/.test(block.text)) {
      it(`${where}: a checklist item, inside a minimal policy`, () => load(`${MINIMAL}checklist:\n${block.text}`, where));
    } else {
      it(`${where}: valid YAML`, () => assert.doesNotThrow(() => parseYaml(block.text)));
    }
  }
});
