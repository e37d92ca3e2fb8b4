// `npm run test:vscode`: the extension tested in a real VS Code (code-server from the npm registry,
// Debian's Chromium), in two layers:
//   1. in-host: mocha suites inside the real extension host (test/vscode/suite), against fixture
//      workspaces made of real git repositories;
//   2. e2e: playwright-core drives the workbench in Chromium (test/vscode/e2e) with the packaged
//      .vsix installed, saving screenshots to test-results/vscode/.
// Works from zero on a fresh Debian machine (installs what it needs) and is fast when cached.
//   node scripts/vscode/test.js [--layer=unit|inhost|e2e]... [--grep=PATTERN] [--keep] [--update-media] [--bench] [--no-build]
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const codeServer = require('./codeServer');
const { launchBrowser, workbenchUrl, remoteUri } = require('./browser');

const root = path.resolve(__dirname, '..', '..');
const resultsDir = path.join(root, 'test-results', 'vscode');
const IN_HOST_TIMEOUT_MS = 150000;
/** Screenshots the README shows: `--update-media` copies them from a passing run into media/. */
const MEDIA = {
  'status-bar-significant.png': 'screenshot-status-bar.png',
  'checklist.png': 'screenshot-checklist.png',
  'codelens.png': 'screenshot-codelens.png',
  'policy-error-problems.png': 'screenshot-policy-error.png',
  'untrusted-workspace.png': 'screenshot-untrusted.png',
  'assessment-report.png': 'screenshot-assessment-report.png',
  'signed-off.png': 'screenshot-signed-off.png',
  'audit-report.png': 'screenshot-audit-report.png',
};
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore|getaddrinfo |Failed to fetch)/;

const argv = process.argv.slice(2);
const layers = argv.filter((a) => a.startsWith('--layer=')).map((a) => a.slice('--layer='.length));
const grep = (argv.find((a) => a.startsWith('--grep=')) || '').slice('--grep='.length);
const keep = argv.includes('--keep');
/** `--bench`: run the in-host benchmark (test/vscode/suite/*.bench.ts) instead of the tests. */
const bench = argv.includes('--bench');
const wants = (layer) => layers.length === 0 || layers.includes(layer);

function say(message) {
  process.stdout.write(`[test:vscode] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = childProcess.spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status;
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) throw Object.assign(new Error(`${command} ${args.join(' ')} failed with exit code ${status}`), { userFacing: true });
}

function build() {
  // Stale compiled tests must not run: the suites are whatever test/vscode holds now.
  fs.rmSync(path.join(root, 'out', 'test', 'vscode'), { recursive: true, force: true });
  mustRun(process.execPath, ['esbuild.js', '--only=extension']);
  mustRun(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'test/vscode/tsconfig.json']);
}

/** Layer 1: mocha inside the real extension host, through the workbench's test payload. */
async function runInHost(entry, tmp) {
  const { makeFixtures } = require(path.join(root, 'out', 'test', 'vscode', 'fixtures.js'));
  const fixtures = makeFixtures(path.join(tmp, 'fixtures'));
  const dirs = codeServer.makeSandbox(path.join(tmp, 'in-host'));
  const logFile = path.join(resultsDir, 'in-host-code-server.log');
  const server = await codeServer.startCodeServer({
    entry,
    dirs,
    logFile,
    env: {
      CHANGE_CONTROL_TEST: '1',
      CHANGE_CONTROL_TEST_GREP: grep,
      CHANGE_CONTROL_FIXTURES: fixtures.root,
      CHANGE_CONTROL_RESULTS: resultsDir,
      CHANGE_CONTROL_BENCH: bench ? '1' : '',
    },
  });
  const browser = await launchBrowser(path.join(tmp, 'in-host-browser'));
  try {
    const exited = new Promise((resolve) => {
      browser.page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).catch(() => {});
    });
    // The workbench forwards its console and the extension host's here. Mocha's report is
    // printed; the workbench's own chatter (sockets, the unreachable gallery) goes to a file.
    const consoleLog = fs.createWriteStream(path.join(resultsDir, 'in-host-console.log'));
    let noisy = false;
    await browser.page.exposeFunction('codeAutomationLog', (type, args) => {
      const list = Array.isArray(args) ? args : [args];
      const text = util.format(...list.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : JSON.stringify(a))));
      consoleLog.write(`[${type}] ${text}\n`);
      for (const line of text.replace(/\n$/, '').split('\n')) {
        if (/^\S/.test(line) || line === '') noisy = WORKBENCH_NOISE.test(line);
        if (!noisy) process.stdout.write(`  ${line}\n`);
      }
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server, root)],
      ['extensionTestsPath', remoteUri(server, path.join(root, 'out', 'test', 'vscode', 'suite', 'index'))],
    ];
    await browser.page.goto(workbenchUrl(server, fixtures.workspaceFile, payload));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), IN_HOST_TIMEOUT_MS);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      await browser.page.screenshot({ path: path.join(resultsDir, 'in-host-timeout.png') }).catch(() => {});
      throw Object.assign(
        new Error(`the in-host suite did not finish within ${IN_HOST_TIMEOUT_MS / 1000} s (screenshot: test-results/vscode/in-host-timeout.png, server log: ${path.relative(root, logFile)})`),
        { userFacing: true },
      );
    }
    return code;
  } finally {
    await browser.close();
    server.stop();
  }
}

function packageVsix(tmp) {
  const vsix = path.join(tmp, 'change-control.vsix');
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  mustRun(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-unused-files-pattern', '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}

async function main() {
  const started = Date.now();
  const timings = [];
  const time = async (name, fn) => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      timings.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'change-control-vscode-'));
  // Also on Ctrl+C (codeServer.js then kills the servers and exits).
  if (!keep) process.once('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const failures = [];
  try {
    const entry = await time('setup', () => codeServer.ensureCodeServer());
    if (!argv.includes('--no-build')) await time('build', build);
    else mustRun(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'test/vscode/tsconfig.json']);
    if (wants('unit')) {
      say('unit: manifest and pure extension modules (plain Node)');
      const status = await time('unit', () => run(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--no-config', '--reporter', 'dot', 'out/test/vscode/unit/**/*.test.js']));
      if (status !== 0) failures.push('unit');
    }
    if (wants('inhost')) {
      say('layer 1: mocha inside the real extension host (code-server 4.100.3 = VS Code 1.100.3)');
      const code = await time('in-host', () => runInHost(entry, tmp));
      if (code !== 0) failures.push(`in-host (exit code ${code})`);
    }
    if (wants('e2e')) {
      const vsix = await time('package', () => packageVsix(tmp));
      say('layer 2: end-to-end in Debian Chromium driven by playwright-core');
      const args = [require.resolve('mocha/bin/mocha.js'), '--no-config', '--timeout', '60000', '--reporter', 'spec', 'out/test/vscode/e2e/**/*.test.js'];
      if (grep) args.push('--grep', grep);
      const status = await time('e2e', () =>
        run(process.execPath, args, {
          env: { ...process.env, CHANGE_CONTROL_VSIX: vsix, CHANGE_CONTROL_CODE_SERVER: entry, CHANGE_CONTROL_TMP: tmp, CHANGE_CONTROL_RESULTS: resultsDir },
        }),
      );
      if (status !== 0) failures.push('e2e');
    }
  } catch (err) {
    failures.push(err.userFacing ? err.message : err.stack);
  } finally {
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
    else say(`kept ${tmp}`);
  }
  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    say(`FAILED after ${total} s (${timings.join(', ')}): ${failures.join('; ')}`);
    process.exitCode = 1;
  } else {
    say(`all VS Code tests passed in ${total} s (${timings.join(', ')}); screenshots in ${path.relative(root, resultsDir)}/`);
    if (argv.includes('--update-media')) {
      for (const [from, to] of Object.entries(MEDIA)) {
        if (fs.existsSync(path.join(resultsDir, from))) fs.copyFileSync(path.join(resultsDir, from), path.join(root, 'media', to));
      }
      say(`copied ${Object.values(MEDIA).join(', ')} into media/`);
    }
  }
}

main();
