import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('the engine boundary', () => {
  const core = sources(path.join(ROOT, 'src', 'core'));

  it('has engine sources to check', () => {
    assert.ok(core.length > 10, `found ${core.length} files under src/core`);
  });

  it('src/core never imports vscode (type-only imports aside)', () => {
    const offenders = core.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /^(?!\s*import\s+type\b).*(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/m.test(text);
    });
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  it('src/core never touches the process, the console or child processes', () => {
    const forbidden = /\bprocess\.(exit|stdout|stderr|env|cwd)\b|\bconsole\.|from ['"](node:)?child_process['"]/;
    const offenders = core.filter((file) => forbidden.test(readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  it('src/core reads files only through ports, except where the migration analysers locate their own parser files', () => {
    // The lazy parser loaders find their bundled code and .wasm files beside the bundle; that is
    // module loading, not reading the user's repository.
    const allowed = new Set(['src/core/migrations/analyse.ts', 'src/core/migrations/parsers.ts']);
    const offenders = core
      .map((f) => path.relative(ROOT, f))
      .filter((f) => !allowed.has(f) && /from ['"](node:)?fs(\/promises)?['"]/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('the check itself catches an import of vscode', () => {
    const sample = "import * as vscode from 'vscode';\n";
    assert.match(sample, /^(?!\s*import\s+type\b).*from\s+['"]vscode['"]/m);
    assert.doesNotMatch("import type { Uri } from 'vscode';\n", /^(?!\s*import\s+type\b).*from\s+['"]vscode['"]/m);
  });
});
