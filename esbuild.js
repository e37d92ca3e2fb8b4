// Builds every artifact from one source tree: the extension, the CLI and the benchmark.
// Each entry is a single bundled file so VS Code loads one module at activation.
const esbuild = require('esbuild');
const fs = require('node:fs');
const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  // The extension's activation bundle stays small; the engine (zod, yaml, rules) is a second file
  // it requires on the first assessment, after activate() has returned.
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './engine.js'] },
  { entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js', external: ['vscode'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['bench/bench.ts'], outfile: 'dist/bench.js' },
];

// `--only=extension` builds one artifact (the VS Code tests need only the extension).
const only = (process.argv.find((a) => a.startsWith('--only=')) || '').slice('--only='.length);
const selected = (only ? entries.filter((e) => e.outfile === `dist/${only}.js` || (only === 'extension' && e.outfile === 'dist/engine.js')) : entries).filter((e) => e.entryPoints.every((p) => fs.existsSync(p)));

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

async function main() {
  const contexts = await Promise.all(
    selected.map((entry) =>
      esbuild.context({
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        minify: true,
        sourcemap: production ? false : 'linked',
        logLevel: 'warning',
        define: { CHANGE_CONTROL_VERSION: JSON.stringify(version) },
        plugins: [englishOnlyZod],
        ...entry,
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

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
