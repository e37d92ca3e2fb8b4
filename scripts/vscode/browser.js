// Debian's Chromium driven by playwright-core: never a downloaded browser.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { CHROMIUM } = require('./codeServer');

const QUIET_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter',
];

/** Launches Chromium with its profile in `profileDir`. Returns { context, page, close }. */
async function launchBrowser(profileDir, { width = 1400, height = 860 } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw Object.assign(new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHANGE_CONTROL_CHROMIUM)`), { userFacing: true });
  }
  const { chromium } = require('playwright-core');
  fs.mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: QUIET_ARGS,
    viewport: { width, height },
    timeout: 30000,
  });
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
    },
  };
}

/** The workbench URL for a folder or a .code-workspace file, with an optional test payload. */
function workbenchUrl(server, target, payload) {
  const params = new URLSearchParams();
  params.set(target.endsWith('.code-workspace') ? 'workspace' : 'folder', target);
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.url}/?${params.toString()}`;
}

/** A file path as the web workbench addresses it on its server. */
function remoteUri(server, absolutePath) {
  return `vscode-remote://127.0.0.1:${server.port}${path.resolve(absolutePath)}`;
}

module.exports = { launchBrowser, workbenchUrl, remoteUri };
