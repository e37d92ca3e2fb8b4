// Owns the real VS Code we test against: code-server from the npm registry, installed into a
// cache folder outside the project's node_modules (so `npm ci` stays fast) and started with every
// directory it writes to pointing into a temporary folder.
//
//   node scripts/vscode/codeServer.js install   # idempotent; fast when cached
//
// Why code-server: the desktop VS Code download that @vscode/test-electron performs is not
// reachable on closed networks, while code-server 4.100.3 (= VS Code 1.100.3, Node 20) comes from
// the npm registry alone. See ../../README.md, "Testing in a real VS Code".
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');

const CODE_SERVER_VERSION = '4.100.3';
/** @vscode/ripgrep looks for this archive before it tries to download from GitHub. */
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep'];
const CHROMIUM = process.env.CHANGE_CONTROL_CHROMIUM || '/usr/bin/chromium';

function cacheRoot() {
  return process.env.CHANGE_CONTROL_CACHE || path.join(os.homedir(), '.cache', 'change-control');
}

function installDir() {
  return path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server entry point run with the current Node (code-server 4.100.x declares Node 20). */
function codeServerEntry() {
  return path.join(installDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

function fail(message) {
  const err = new Error(message);
  err.userFacing = true;
  throw err;
}

function run(command, args, options = {}) {
  const result = childProcess.spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status}`);
}

function commandExists(command) {
  return childProcess.spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function debInstalled(pkg) {
  const r = childProcess.spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Debian packages the install and the browser tests need; installs them when running as root. */
function ensureSystemPackages() {
  const hasDpkg = commandExists('dpkg-query');
  const missing = APT_PACKAGES.filter((pkg) => (hasDpkg ? !debInstalled(pkg) : true));
  if (!hasDpkg) {
    if (!fs.existsSync(CHROMIUM) || !commandExists('rg')) {
      fail(`not a Debian system: install chromium (at ${CHROMIUM} or set CHANGE_CONTROL_CHROMIUM), ripgrep and the Kerberos headers yourself`);
    }
    return;
  }
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    fail(`missing Debian packages: ${missing.join(' ')}. Run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

function isInstalled() {
  const marker = path.join(installDir(), '.complete');
  return fs.existsSync(marker) && fs.existsSync(codeServerEntry());
}

/** Installs code-server into the cache folder unless it is already there. Returns its entry point. */
function ensureCodeServer() {
  ensureSystemPackages();
  if (isInstalled()) return codeServerEntry();
  const started = Date.now();
  const dir = installDir();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (once; later runs reuse it)`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'change-control-code-server', private: true, description: 'Cache of the VS Code used by Change Control tests' }, null, 2),
  );

  // @vscode/ripgrep downloads from GitHub unless it finds its archive in $TMPDIR: give it
  // Debian's rg under the name it looks for.
  const tmp = path.join(dir, 'tmp');
  const rgCache = path.join(tmp, RIPGREP_CACHE_DIR);
  fs.mkdirSync(rgCache, { recursive: true });
  const rg = childProcess.spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) fail('ripgrep (rg) is not installed: apt-get install -y ripgrep');
  run('tar', ['czf', path.join(rgCache, RIPGREP_ARCHIVE), '-C', path.dirname(fs.realpathSync(rg)), path.basename(fs.realpathSync(rg))]);

  const env = {
    ...process.env,
    TMPDIR: tmp,
    // code-server's postinstall refuses root without it (npm 11 has no --unsafe-perm flag).
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp`; a user npmrc with yes=false cancels it.
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-save', '--no-package-lock', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  if (!fs.existsSync(codeServerEntry())) fail(`code-server installed but ${codeServerEntry()} is missing`);
  fs.writeFileSync(path.join(dir, '.complete'), `${CODE_SERVER_VERSION}\n`);
  log(`code-server ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return codeServerEntry();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A sandbox for one code-server: its own HOME, XDG dirs, user data and extensions, so nothing is
 * written under the real home directory.
 */
function makeSandbox(root, { trust = false, settings = {} } = {}) {
  const dirs = {
    root,
    home: path.join(root, 'home'),
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    config: path.join(root, 'config.yaml'),
  };
  for (const d of [dirs.home, dirs.userData, dirs.extensions, path.join(dirs.userData, 'User')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'git.openRepositoryInParentFolders': 'always',
        'git.autofetch': false,
        'security.workspace.trust.enabled': trust,
        'window.commandCenter': false,
        'chat.commandCenter.enabled': false,
        'workbench.layoutControl.enabled': false,
        ...settings,
      },
      null,
      2,
    ),
  );
  return dirs;
}

function sandboxEnv(dirs, extra = {}) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local', 'state'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Change Control Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Change Control Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    ...extra,
  };
}

function commonArgs(dirs) {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** Installs a .vsix into the sandbox's extensions dir (~1 s). */
function installVsix(entry, dirs, vsix) {
  const r = childProcess.spawnSync(process.execPath, [entry, ...commonArgs(dirs), '--install-extension', vsix, '--force'], {
    env: sandboxEnv(dirs),
    encoding: 'utf8',
  });
  if (r.status !== 0) fail(`installing ${vsix} into code-server failed:\n${r.stdout}\n${r.stderr}`);
}

/** Process groups of the servers this process started: none may outlive it, even on Ctrl+C. */
const runningGroups = new Set();
let exitHooksInstalled = false;
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', () => {
    for (const pid of runningGroups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      for (const pid of runningGroups) killGroup(pid, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

function get(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });
}

/**
 * Starts code-server detached (its own process group, so watcher and extension-host children die
 * with it) and waits for /healthz. Returns { url, port, stop }.
 */
async function startCodeServer({ entry, dirs, port, env = {}, logFile, timeoutMs = 30000, workspaceTrust = false }) {
  port = port || (await freePort());
  const out = fs.openSync(logFile || path.join(dirs.root, 'code-server.log'), 'a');
  const args = [
    entry,
    ...commonArgs(dirs),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  const child = childProcess.spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: sandboxEnv(dirs, env),
  });
  fs.closeSync(out);
  installExitHooks();
  runningGroups.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    killGroup(child.pid, 'SIGTERM');
    // Children that ignore SIGTERM must not outlive the run.
    setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      runningGroups.delete(child.pid);
    }, 2000).unref();
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) fail(`code-server exited during start-up (${JSON.stringify(exited)}); see ${logFile || path.join(dirs.root, 'code-server.log')}`);
    if ((await get(`${url}/healthz`, 1000)) === 200) return { url, port, pid: child.pid, stop };
    await new Promise((r) => setTimeout(r, 150));
  }
  stop();
  fail(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s; see its log in ${dirs.root}`);
}

module.exports = {
  CODE_SERVER_VERSION,
  CHROMIUM,
  cacheRoot,
  ensureCodeServer,
  ensureSystemPackages,
  makeSandbox,
  sandboxEnv,
  installVsix,
  startCodeServer,
  freePort,
};

if (require.main === module) {
  const command = process.argv[2] || 'install';
  try {
    if (command === 'install') {
      const entry = ensureCodeServer();
      log(`code-server ${CODE_SERVER_VERSION}: ${entry}`);
    } else {
      fail(`unknown command "${command}"; use: install`);
    }
  } catch (err) {
    process.stderr.write(`[code-server] ${err.userFacing ? err.message : err.stack}\n`);
    process.exit(1);
  }
}
