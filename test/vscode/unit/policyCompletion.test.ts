import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completionsAt, pathAt, type SchemaNode } from '../../../src/extension/policyCompletionModel';

function findRoot(dir: string): string {
  return fs.existsSync(path.join(dir, 'esbuild.js')) ? dir : findRoot(path.dirname(dir));
}
const schema: SchemaNode = JSON.parse(fs.readFileSync(path.join(findRoot(__dirname), 'dist', 'policy.schema.json'), 'utf8'));

/** Completions at the `|` in `text`. */
function at(text: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  const column = lines[line].indexOf('|');
  lines[line] = lines[line].replace('|', '');
  return completionsAt(schema, lines, line, column).map((c) => c.label);
}

const POLICY = `version: 1
levels:
  - id: regular
    title: Regular
  - id: significant
    title: Significant
zones:
  auth:
    title: Authentication
    level: significant
`;

describe('policy completion from the generated JSON Schema', () => {
  it('reads the key path from indentation', () => {
    const lines = POLICY.split('\n');
    assert.deepEqual(pathAt(lines, 9, 4, false), ['zones', 'auth']);
    assert.deepEqual(pathAt(lines, 3, 4, false), ['levels', '[]']);
    assert.deepEqual(pathAt(lines, 4, 2, true), ['levels', '[]']);
  });

  it('offers the top-level keys not written yet', () => {
    const keys = at(`${POLICY}|`);
    for (const k of ['checklist', 'freeze', 'emergency', 'migrations', 'components', 'notify']) assert.ok(keys.includes(k), k);
    assert.ok(!keys.includes('levels') && !keys.includes('zones') && !keys.includes('version'));
  });

  it('offers the keys of a zone, and of a level item', () => {
    const zone = at(`${POLICY}    |`);
    for (const k of ['paths', 'content', 'exclude', 'owners', 'checklist']) assert.ok(zone.includes(k), k);
    assert.ok(!zone.includes('title') && !zone.includes('level'));
    const level = at(POLICY.replace('    title: Regular', '    title: Regular\n    |'));
    assert.deepEqual(level.sort(), ['checklist', 'description']);
  });

  it('offers values: checklist kinds, enums, booleans and the policy’s level ids', () => {
    assert.deepEqual(at(`${POLICY}checklist:\n  tests:\n    kind: |`).sort(), ['approval', 'attestation', 'change-request', 'command', 'notification', 'post-review', 'review', 'reviews-resolved', 'signoff']);
    assert.deepEqual(at(`${POLICY}freeze:\n  - title: Holidays\n    mode: |`).sort(), ['block', 'emergency-only']);
    assert.deepEqual(at(`${POLICY}    ignoreCase: |`).sort(), ['false', 'true']);
    assert.deepEqual(at(`${POLICY}  payments:\n    level: |`), ['regular', 'significant']);
  });
});
