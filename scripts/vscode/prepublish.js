// `vscode:prepublish` (run by `vsce package`): a production build of the extension's bundles.
// package.json "files" decides what the .vsix holds; development leftovers in dist/ (source maps,
// the benchmark bundle) are removed first so they do not ship.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
if (fs.existsSync(dist)) {
  for (const f of fs.readdirSync(dist)) if (f.endsWith('.map') || f === 'bench.js') fs.rmSync(path.join(dist, f));
}
const r = childProcess.spawnSync(process.execPath, ['esbuild.js', '--production', '--only=extension'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
