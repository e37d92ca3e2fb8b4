// Builds every artifact from one source tree: the extension, the CLI and the benchmark.
// Each entry is a single bundled file so VS Code loads one module at activation.
const esbuild = require('esbuild');
const fs = require('node:fs');
const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['bench/bench.ts'], outfile: 'dist/bench.js' },
];

// `--only=extension` builds one artifact (the VS Code tests need only the extension).
const only = (process.argv.find((a) => a.startsWith('--only=')) || '').slice('--only='.length);
const selected = (only ? entries.filter((e) => e.outfile === `dist/${only}.js`) : entries).filter((e) => e.entryPoints.every((p) => fs.existsSync(p)));

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
