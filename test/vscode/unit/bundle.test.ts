// The activation bundle stays small: the engine (zod, yaml, rules) is dist/engine.js, required on
// the first assessment. A stray runtime import of src/core in src/extension would pull it in.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(dir: string): string {
  return fs.existsSync(path.join(dir, 'esbuild.js')) ? dir : findRoot(path.dirname(dir));
}
const root = findRoot(__dirname);

describe('dist/extension.js', () => {
  const bundle = fs.readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');

  it('is under the 250 KB budget, far under it in fact', () => {
    assert.ok(bundle.length < 100 * 1024, `${(bundle.length / 1024).toFixed(1)} KB`);
  });

  it('does not bundle the engine or its dependencies', () => {
    for (const marker of ['ZodError', 'YAMLParseError', 'picomatch', 'policyJsonSchema']) assert.ok(!bundle.includes(marker), `${marker} is in the activation bundle`);
    assert.ok(bundle.includes('./engine.js'), 'the engine is required from its own file');
  });
});
