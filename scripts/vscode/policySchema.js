// Writes dist/policy.schema.json, the JSON Schema VS Code's YAML support uses for completion and
// validation of the policy file. Generated from the engine's zod schema at build time, never
// hand-written, so the editor and the engine cannot disagree about what a policy may say.
'use strict';

const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '..', '..');

/** The exports of a source module (or of `stdin` source), bundled in memory and run here. */
function requireBundled(input, asFile) {
  const result = esbuild.buildSync({
    ...input,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
  });
  const m = new Module(asFile);
  m.paths = Module._nodeModulePaths(root);
  m._compile(result.outputFiles[0].text, asFile);
  return m.exports;
}

function writePolicySchema(outFile = path.join(root, 'dist', 'policy.schema.json')) {
  const { policyJsonSchema } = requireBundled({ entryPoints: [path.join(root, 'src', 'core', 'policy', 'schema.ts')] }, path.join(root, 'src', 'core', 'policy', 'schema.js'));
  const schema = policyJsonSchema();
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(schema, null, 2)}\n`);
  return outFile;
}

module.exports = { writePolicySchema, requireBundled };

if (require.main === module) console.log(writePolicySchema(process.argv[2]));
