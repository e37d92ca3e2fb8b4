// The architectural walls between the layers, and the promise rules, enforced by `npm run lint`
// (part of `npm test`). Only the rules named here run: this is not a style linter.
//
//   src/core       the engine: no other layer, no vscode, no child processes, no process or
//                  console; fs only where the migration analysers locate their bundled parsers
//   src/node       Node adapters: not the CLI, not the extension, no vscode
//   src/cli        the CLI door: not the extension, no vscode
//   src/extension  the VS Code door: not the CLI
//
// test/node/walls.test.ts lints probe files with this config and checks each wall reports.
import tseslint from 'typescript-eslint';

/** A layer under src/ reached by a relative import, from any depth: `../cli`, `../../cli/main`. */
const layer = (name) => `^(\\.\\.?/)+${name}(/|$)`;

/**
 * The rules that keep a file from reaching the given modules (exact names) and layers, in every
 * form an import takes: `import` and `import type`, `export … from`, `import x = require()`,
 * `require()`, `import()` and `typeof import()`.
 */
function walls({ modules = [], layers = [], message }) {
  const sources = [...modules.map((m) => `^${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), ...layers.map(layer)];
  // A selector's regular expression cannot hold a slash: \x2F stands for one.
  const value = `/${sources.join('|').replaceAll('/', '\\x2F')}/`;
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: modules.map((name) => ({ name, message })),
        patterns: layers.map((name) => ({ regex: layer(name), message })),
      },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: `CallExpression[callee.name='require'][arguments.0.value=${value}]`, message },
      { selector: `ImportExpression[source.value=${value}]`, message },
      { selector: `TSImportType > Literal.source[value=${value}]`, message },
    ],
  };
}

const CHILD_PROCESS = ['child_process', 'node:child_process'];
const FS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'];
const PROCESS_CONSOLE = ['process', 'node:process', 'console', 'node:console'];

const coreMessage =
  'src/core is the engine: it reaches the outside world only through the ports in src/core/ports.ts (no vscode, no other layer, no child processes, no process or console).';

export default [
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/fixtures/**', '.cache/**', 'test-results/**'] },

  // Every TypeScript file is linted with types, each by its own tsconfig.json (test/vscode has one).
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: {
      // A few files carry directives for rules this config does not run.
      reportUnusedDisableDirectives: 'off',
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },

  {
    files: ['src/**/*.ts'],
    rules: {
      // `typeof import('…')` stays allowed: the lazy loaders name the type of the module they require().
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },

  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...walls({ modules: ['vscode', ...CHILD_PROCESS, ...FS, ...PROCESS_CONSOLE], layers: ['node', 'cli', 'extension'], message: coreMessage }),
      'no-restricted-globals': [
        'error',
        { name: 'process', message: coreMessage },
        { name: 'console', message: coreMessage },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'globalThis', property: 'process', message: coreMessage },
        { object: 'globalThis', property: 'console', message: coreMessage },
        { object: 'global', property: 'process', message: coreMessage },
        { object: 'global', property: 'console', message: coreMessage },
      ],
      'no-console': 'error',
    },
  },
  {
    // The lazy parser loaders find their bundled code and .wasm files beside the bundle: that is
    // module loading, not reading the user's repository, which goes through the ports.
    files: ['src/core/migrations/analyse.ts', 'src/core/migrations/parsers.ts'],
    rules: walls({ modules: ['vscode', ...CHILD_PROCESS, ...PROCESS_CONSOLE], layers: ['node', 'cli', 'extension'], message: coreMessage }),
  },

  {
    files: ['src/node/**/*.ts'],
    rules: walls({ modules: ['vscode'], layers: ['cli', 'extension'], message: 'src/node holds the Node adapters: it may use src/core, never the CLI, the extension or vscode.' }),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: walls({ modules: ['vscode'], layers: ['extension'], message: 'src/cli is the CLI door: it may use src/core and src/node, never the extension or vscode.' }),
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: walls({ layers: ['cli'], message: 'src/extension is the VS Code door: it may use src/core and src/node, never the CLI.' }),
  },
];
