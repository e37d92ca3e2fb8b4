// Builds every artifact from one source tree: the extension, the CLI and the benchmark.
// Each entry is a single bundled file so VS Code loads one module at activation.
const esbuild = require('esbuild');
const fs = require('node:fs');
const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// In dist/cli.js, core/lazyValidators.ts's require('./validators') becomes a require of the sibling
// bundle dist/validators.js; every other bundle keeps the module inline (evaluated on first use).
/** @type {import('esbuild').Plugin} */
const validatorsApart = {
  name: 'validators-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/validators$/ }, (args) => (/[\\/]src[\\/]core$/.test(args.resolveDir) ? { path: './validators.js', external: true } : undefined));
  },
};

// In dist/cli.js, cli/main.ts's require('./otherCommands') becomes a require of dist/cliCommands.js.
/** @type {import('esbuild').Plugin} */
const otherCommandsApart = {
  name: 'other-commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/otherCommands$/ }, (args) => (/[\\/]src[\\/]cli$/.test(args.resolveDir) ? { path: './cliCommands.js', external: true } : undefined));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  // The extension's activation bundle stays small; the engine (zod, yaml, rules) is a second file
  // it requires on the first assessment, after activate() has returned.
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './engine.js'] },
  { entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js', external: ['vscode'] },
  // The CLI starts a process per command, so it compiles only what `check` needs: every other
  // command is dist/cliCommands.js, and yaml, zod and the schema are dist/validators.js, loaded
  // only when policy text or a stored record must be parsed.
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: 'cli' },
  { entryPoints: ['src/cli/otherCommands.ts'], outfile: 'dist/cliCommands.js', plugins: 'cli' },
  { entryPoints: ['src/core/validators.ts'], outfile: 'dist/validators.js' },
  // Migration analysers and their parsers (WebAssembly grammars): required on the first migration only.
  { entryPoints: ['src/core/migrations/analysers.ts'], outfile: 'dist/migrationAnalysers.js' },
  // The editor parses migrations in a child process of its own (src/node/migrationProcess.ts).
  { entryPoints: ['src/node/migrationWorker.ts'], outfile: 'dist/migrationWorker.js' },
  { entryPoints: ['bench/bench.ts'], outfile: 'dist/bench.js' },
  // The GitHub client (octokit): required on the first sign-off, gate or audit only.
  { entryPoints: ['src/node/github/client.ts'], outfile: 'dist/github.js', plugins: [] },
];

// `--only=extension` builds one artifact (the VS Code tests need only the extension).
const only = (process.argv.find((a) => a.startsWith('--only=')) || '').slice('--only='.length);
const selected = (only ? entries.filter((e) => e.outfile === `dist/${only}.js` || (only === 'extension' && ['dist/engine.js', 'dist/migrationAnalysers.js', 'dist/migrationWorker.js', 'dist/github.js'].includes(e.outfile))) : entries).filter((e) => e.entryPoints.every((p) => fs.existsSync(p)));

// zod bundles ~40 translations of its messages (~250 KB); every door speaks English.
/** @type {import('esbuild').Plugin} */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: require('node:path').dirname(args.path),
    }));
  },
};

// The migration parsers find their .wasm files beside dist/migrationAnalysers.js at runtime.
const MIGRATION_WASM = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-ruby/tree-sitter-ruby.wasm',
  'tree-sitter-elixir/tree-sitter-elixir.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-typescript/tree-sitter-typescript.wasm',
  'libpg-query/wasm/libpg-query.wasm',
];
function copyMigrationWasm() {
  if (!selected.some((e) => e.outfile === 'dist/migrationAnalysers.js')) return;
  fs.mkdirSync('dist', { recursive: true });
  for (const file of MIGRATION_WASM) fs.copyFileSync(`node_modules/${file}`, `dist/${file.slice(file.lastIndexOf('/') + 1)}`);
}

// Every other bundle reaches the GitHub client through node/github/connect.ts's import('./client'):
// that import becomes a require of the sibling bundle dist/github.js.
/** @type {import('esbuild').Plugin} */
const githubClientApart = {
  name: 'github-client-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/client$/ }, (args) => (/[\\/]node[\\/]github$/.test(args.resolveDir) ? { path: './github.js', external: true } : undefined));
  },
};

/**
 * The built-in presets as their validated JSON, made once here so that a process never parses
 * their YAML (core/policy/source.ts reads them): the parser itself, bundled in memory, makes them.
 */
function presetSnapshots() {
  const dir = require('node:path').resolve('src/core/policy');
  const { loadPreset, PRESET_NAMES } = require('./scripts/vscode/policySchema').requireBundled(
    { stdin: { contents: "export { loadPreset } from './load'; export { PRESET_NAMES } from './presets';", resolveDir: dir, loader: 'ts' } },
    require('node:path').join(dir, 'snapshots.js'),
  );
  return JSON.stringify(Object.fromEntries(PRESET_NAMES.map((name) => [name, loadPreset(name).policy])));
}

async function main() {
  copyMigrationWasm();
  const snapshots = presetSnapshots();
  const contexts = await Promise.all(
    selected.map(({ plugins, ...entry }) =>
      esbuild.context({
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        minify: true,
        sourcemap: production ? false : 'linked',
        logLevel: 'warning',
        define: { CHANGE_CONTROL_VERSION: JSON.stringify(version), CHANGE_CONTROL_PRESET_SNAPSHOTS: JSON.stringify(snapshots) },
        ...entry,
        plugins: [englishOnlyZod, ...(plugins === 'cli' ? [githubClientApart, validatorsApart, otherCommandsApart] : (plugins ?? [githubClientApart]))],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  // The policy's JSON Schema for the editor, generated from the engine (contributes.yamlValidation).
  if (selected.some((e) => e.outfile === 'dist/extension.js')) require('./scripts/vscode/policySchema').writePolicySchema();
}

// Required (by a test) rather than run: only the snapshots.
if (require.main === module) {
  main().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
} else module.exports = { presetSnapshots };
