// `npm run try`: see Change Control working in one command. Builds and packages the extension,
// starts code-server (a real VS Code from the npm registry) on 127.0.0.1 with the .vsix installed
// and a demo repository open, and prints the URL. Ctrl+C stops it.
//   CHANGE_CONTROL_PORT=8080 npm run try
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const codeServer = require('./codeServer');

const root = path.resolve(__dirname, '..', '..');

async function main() {
  const entry = codeServer.ensureCodeServer();
  const base = path.join(codeServer.cacheRoot(), 'try');
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });

  const vsix = path.join(base, 'change-control.vsix');
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = childProcess.spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-unused-files-pattern', '--out', vsix], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (packaged.status !== 0) throw new Error('packaging the extension failed (see above)');

  // The demo repository: a feature branch touching an auth zone and a payment rule.
  childProcess.execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'test/vscode/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  const { makeDemo } = require(path.join(root, 'out', 'test', 'vscode', 'fixtures.js'));
  const demo = makeDemo(path.join(base, 'demo-shop'));

  const dirs = codeServer.makeSandbox(path.join(base, 'server'), { trust: false });
  codeServer.installVsix(entry, dirs, vsix);
  const port = Number(process.env.CHANGE_CONTROL_PORT) || (await codeServer.freePort());
  const server = await codeServer.startCodeServer({ entry, dirs, port, logFile: path.join(base, 'code-server.log') });
  const url = `${server.url}/?folder=${encodeURIComponent(demo)}`;
  process.stdout.write(`\nChange Control is running in VS Code ${codeServer.CODE_SERVER_VERSION.replace(/^4\./, '1.')}-based code-server.\n\n  Open: ${url}\n\n`);
  process.stdout.write(`Demo repository: ${demo} (branch feature/remember-me touches src/auth and a payment call).\n`);
  process.stdout.write(`Server log: ${path.join(base, 'code-server.log')}. Press Ctrl+C to stop.\n`);
  const stop = () => {
    server.stop();
    setTimeout(() => process.exit(0), 300);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`[try] ${err.userFacing ? err.message : err.stack}\n`);
  process.exit(1);
});
