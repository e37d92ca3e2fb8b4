// The architectural walls are ESLint rules (eslint.config.mjs). These tests lint small probe sources,
// placed where a real file of that layer would be, with the project's own config, and check that each
// wall reports its breach. The probes never touch the disk: only how they are parsed is overridden
// (the type-aware rules need a TypeScript project, and the probes are in none), never a rule.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PROBES = ['src/*/__probe_*__.ts', 'src/*/*/__probe_*__.ts'];

describe('the architectural walls (eslint.config.mjs)', function () {
  // The first lint loads the whole TypeScript project for the type-aware rules.
  this.timeout(180_000);

  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [
      {
        files: PROBES,
        languageOptions: {
          parserOptions: {
            projectService: {
              allowDefaultProject: PROBES,
              defaultProject: 'tsconfig.json',
              // Each probe is a file of its own; the cap guards real projects from slow linting.
              maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 64,
            },
          },
        },
      },
    ],
  });
  let probes = 0;

  /** The rules that report on `text` as the file `dir/__probe_N__.ts`; a probe that does not parse fails. */
  async function rulesReported(dir: string, text: string): Promise<string[]> {
    const filePath = path.join(ROOT, dir, `__probe_${++probes}__.ts`);
    const [result] = await eslint.lintText(text, { filePath });
    const fatal = result.messages.filter((m) => m.fatal || !m.ruleId);
    assert.deepEqual(fatal, [], `the probe ${path.relative(ROOT, filePath)} did not lint`);
    for (const m of result.messages) assert.equal(m.severity, 2, `${m.ruleId} must be an error, so that it fails npm test`);
    return [...new Set(result.messages.map((m) => m.ruleId as string))].sort();
  }

  async function assertReported(dir: string, text: string, rule: string) {
    const rules = await rulesReported(dir, text);
    assert.ok(rules.includes(rule), `expected ${rule} on a probe in ${dir}, got [${rules.join(', ')}] for:\n${text}`);
  }

  it('passes a clean engine file', async () => {
    const clean = [
      "import { isChangeControlError, type PolicyProblem } from '../errors';",
      "import * as path from 'node:path';",
      'export function name(p: PolicyProblem, err: unknown, bytes: Buffer): string {',
      '  return isChangeControlError(err) ? path.basename(p.path.join("/")) : bytes.toString();',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await rulesReported('src/core/rules', clean), []);
  });

  describe('src/core', () => {
    it('may not import the extension', () =>
      assertReported('src/core', "import { EXTENSION_ID } from '../extension/ids';\nexport const id = EXTENSION_ID;\n", '@typescript-eslint/no-restricted-imports'));
    it('may not import the extension from a subfolder, even for types', () =>
      assertReported('src/core/rules', "import type { Command } from '../../extension/ids';\nexport type C = typeof Command;\n", '@typescript-eslint/no-restricted-imports'));
    it('may not import the Node adapters or the CLI', async () => {
      await assertReported('src/core', "export { createGit } from '../node/git';\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/core', "export { runCli } from '../cli/main';\n", '@typescript-eslint/no-restricted-imports');
    });
    it('may not import vscode, in any form', async () => {
      await assertReported('src/core', "import * as vscode from 'vscode';\nexport const w = vscode.window;\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/core', "export async function load(): Promise<unknown> {\n  return import('vscode');\n}\n", 'no-restricted-syntax');
      await assertReported('src/core', "export const v: unknown = require('vscode');\n", 'no-restricted-syntax');
      await assertReported('src/core', "export type Vscode = typeof import('vscode');\n", 'no-restricted-syntax');
    });
    it('may not spawn processes', async () => {
      await assertReported('src/core', "import { spawn } from 'node:child_process';\nexport const s = spawn;\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/core', "import { execFile } from 'child_process';\nexport const e = execFile;\n", '@typescript-eslint/no-restricted-imports');
    });
    it('may not read the process or write to the console', async () => {
      await assertReported('src/core', 'export const home = process.env.HOME;\n', 'no-restricted-globals');
      await assertReported('src/core', 'export const p = globalThis.process;\n', 'no-restricted-properties');
      await assertReported('src/core', "export function log(): void {\n  console.log('x');\n}\n", 'no-console');
    });
    it('may not read files outside the migration parser loaders', () =>
      assertReported('src/core/rules', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", '@typescript-eslint/no-restricted-imports'));
  });

  describe('src/node', () => {
    it('may not import the extension, the CLI or vscode', async () => {
      await assertReported('src/node', "import { x } from '../extension/x';\nexport const y = x;\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/node', "export { runCli } from '../cli/main';\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/node', "import type { Uri } from 'vscode';\nexport type U = Uri;\n", '@typescript-eslint/no-restricted-imports');
    });
  });

  describe('the doors', () => {
    it('src/cli may not import the extension or vscode', async () => {
      await assertReported('src/cli', "import { Command } from '../extension/ids';\nexport const c = Command;\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/cli', "import * as vscode from 'vscode';\nexport const w = vscode.window;\n", '@typescript-eslint/no-restricted-imports');
    });
    it('src/extension may not import the CLI', async () => {
      await assertReported('src/extension', "import { runCli } from '../cli/main';\nexport const r = runCli;\n", '@typescript-eslint/no-restricted-imports');
      await assertReported('src/extension/commands', "import { runCli } from '../../cli/main';\nexport const r = runCli;\n", '@typescript-eslint/no-restricted-imports');
    });
  });

  describe('promises and type imports', () => {
    it('reports a floating promise', () =>
      assertReported('src/node', 'async function work(): Promise<void> {}\nexport function start(): void {\n  work();\n}\n', '@typescript-eslint/no-floating-promises'));
    it('reports a promise where a condition is expected', () =>
      assertReported('src/node', 'async function ready(): Promise<boolean> {\n  return true;\n}\nexport function check(): number {\n  return ready() ? 1 : 0;\n}\n', '@typescript-eslint/no-misused-promises'));
    it('reports a type imported as a value', () =>
      assertReported('src/core', "import { PolicyProblem } from './errors';\nexport type P = PolicyProblem;\n", '@typescript-eslint/consistent-type-imports'));
  });
});
