// `npm run test:desktop`: the same in-host suite as layer 1 of `npm run test:vscode`, run in the
// desktop VS Code that @vscode/test-electron downloads. For machines that can reach that download;
// on closed networks use `npm run test:vscode` (code-server from the npm registry) instead.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

async function main() {
  childProcess.execFileSync(process.execPath, ['esbuild.js', '--only=extension'], { cwd: root, stdio: 'inherit' });
  childProcess.execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'test/vscode/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  const { makeFixtures } = require(path.join(root, 'out', 'test', 'vscode', 'fixtures.js'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'change-control-desktop-'));
  const fixtures = makeFixtures(path.join(tmp, 'fixtures'));
  const { runTests } = require('@vscode/test-electron');
  try {
    await runTests({
      version: process.env.CHANGE_CONTROL_VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'vscode', 'suite', 'index'),
      launchArgs: [fixtures.workspaceFile, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(tmp, 'user-data')],
      extensionTestsEnv: { CHANGE_CONTROL_TEST: '1', CHANGE_CONTROL_FIXTURES: fixtures.root },
    });
    process.stdout.write('[test:desktop] in-host suite passed in desktop VS Code\n');
  } catch (err) {
    process.stderr.write(
      `[test:desktop] failed: ${err && err.message ? err.message : err}\n` +
        '[test:desktop] This runner needs the desktop VS Code download. Without it, run `npm run test:vscode`.\n',
    );
    process.exitCode = 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
