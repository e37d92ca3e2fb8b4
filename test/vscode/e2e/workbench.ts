// Drives a real VS Code workbench (code-server) in Debian's Chromium through playwright-core, with
// the packaged .vsix installed. Every wait is bounded and fails with a message that says what was
// expected and what the screen showed (a screenshot is saved under test-results/vscode/).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { STATUS_BAR_ELEMENT_ID, VIEW_NAMES, View } from '../../../src/extension/ids';

interface Server {
  url: string;
  port: number;
  stop(): void;
}
interface Sandbox {
  root: string;
}
/** The parts of scripts/vscode/*.js the tests use (plain JS shared with the runner). */
interface CodeServerModule {
  ensureCodeServer(): string;
  makeSandbox(root: string, options?: { trust?: boolean; settings?: Record<string, unknown> }): Sandbox;
  installVsix(entry: string, dirs: Sandbox, vsix: string): void;
  startCodeServer(options: { entry: string; dirs: Sandbox; logFile?: string; env?: Record<string, string>; workspaceTrust?: boolean }): Promise<Server>;
}
interface BrowserModule {
  launchBrowser(profileDir: string): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }>;
  workbenchUrl(server: Server, target: string): string;
}

export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'esbuild.js'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
  return dir;
}

const root = projectRoot();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codeServer: CodeServerModule = require(path.join(root, 'scripts', 'vscode', 'codeServer.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const browserModule: BrowserModule = require(path.join(root, 'scripts', 'vscode', 'browser.js'));

export const resultsDir = process.env.CHANGE_CONTROL_RESULTS ?? path.join(root, 'test-results', 'vscode');

export interface WorkbenchOptions {
  /** A folder or a .code-workspace file to open. */
  open: string;
  /** Enable workspace trust (the folder then opens untrusted). */
  trust?: boolean;
  name: string;
  /** User settings to start with. */
  settings?: Record<string, unknown>;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly server: Server,
    private readonly closeBrowser: () => Promise<void>,
    private readonly sandbox: string,
    private readonly name: string,
  ) {}

  /** Starts a code-server with the packaged extension, opens `open` in Chromium, waits for the workbench. */
  static async start(options: WorkbenchOptions): Promise<Workbench> {
    const vsix = process.env.CHANGE_CONTROL_VSIX;
    if (!vsix) throw new Error('CHANGE_CONTROL_VSIX is not set: run the e2e tests through `npm run test:vscode`');
    const entry = process.env.CHANGE_CONTROL_CODE_SERVER ?? codeServer.ensureCodeServer();
    const tmp = fs.mkdtempSync(path.join(process.env.CHANGE_CONTROL_TMP ?? os.tmpdir(), `e2e-${options.name}-`));
    const dirs = codeServer.makeSandbox(path.join(tmp, 'server'), { trust: options.trust ?? false, settings: options.settings });
    codeServer.installVsix(entry, dirs, vsix);
    fs.mkdirSync(resultsDir, { recursive: true });
    const server = await codeServer.startCodeServer({
      entry,
      dirs,
      workspaceTrust: options.trust ?? false,
      logFile: path.join(resultsDir, `e2e-${options.name}-code-server.log`),
    });
    try {
      const browser = await browserModule.launchBrowser(path.join(tmp, 'browser'));
      const wb = new Workbench(browser.page, server, browser.close, dirs.root, options.name);
      await browser.page.goto(browserModule.workbenchUrl(server, options.open));
      await wb.waitFor('.monaco-workbench .part.statusbar', 'the workbench to load', 30000);
      return wb;
    } catch (err) {
      server.stop();
      throw err;
    }
  }

  /** Opens another folder in the same browser and server (the workbench reloads). */
  async open(target: string): Promise<void> {
    await this.page.goto(browserModule.workbenchUrl(this.server, target));
    await this.waitFor('.monaco-workbench .part.statusbar', 'the workbench to load', 30000);
  }

  /** Answers the workspace trust dialog shown when a folder opens with trust enabled. */
  async answerTrust(trust: boolean): Promise<void> {
    const button = this.page.locator('.monaco-dialog-box .monaco-button', { hasText: trust ? 'Yes, I trust' : "No, I don't trust" });
    await button.waitFor({ state: 'visible', timeout: 15000 });
    await button.click();
  }

  /** The welcome text of the checklist view (shown when the tree is empty). */
  async checklistWelcome(): Promise<string> {
    return (await this.page.locator(`[id="workbench.view.extension.changeControl"] .welcome-view-content`).first().innerText({ timeout: 2000 })).trim();
  }

  async close(): Promise<void> {
    await this.closeBrowser();
    this.server.stop();
    // The extension's own log (its LogOutputChannel) goes next to the screenshots.
    const logs = fs.readdirSync(this.sandbox, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('Change Control.log'));
    const text = logs.map((f) => fs.readFileSync(path.join(this.sandbox, f), 'utf8')).join('\n');
    fs.writeFileSync(path.join(resultsDir, `e2e-${this.name}-extension.log`), text);
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(resultsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Waits for a selector; on timeout saves a screenshot and fails saying what was awaited. */
  async waitFor(selector: string, what: string, timeout = 15000): Promise<void> {
    try {
      await this.page.waitForSelector(selector, { timeout, state: 'visible' });
    } catch {
      const shot = await this.failureShot(what);
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (${selector}); screenshot: ${shot}`);
    }
  }

  /** Polls `read` until `accept` holds; fails with the last value seen. */
  async until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 15000): Promise<T> {
    const deadline = Date.now() + timeout;
    let last: T | undefined;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        last = await read();
        if (accept(last)) return last;
      } catch (err) {
        lastError = err;
      }
      await this.page.waitForTimeout(150);
    }
    const shot = await this.failureShot(what);
    throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}; last seen: ${JSON.stringify(last)}${lastError ? ` (${String(lastError)})` : ''}; screenshot: ${shot}`);
  }

  private async failureShot(what: string): Promise<string> {
    const file = path.join(resultsDir, `failure-${what.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
    await this.page.screenshot({ path: file }).catch(() => {});
    return path.relative(root, file);
  }

  statusBarItem() {
    return this.page.locator(`[id="${STATUS_BAR_ELEMENT_ID}"]`);
  }

  async statusBarText(): Promise<string> {
    return (await this.statusBarItem().innerText({ timeout: 2000 })).trim();
  }

  /** Waits until the risk item's text satisfies `accept`. */
  async statusBarUntil(accept: (text: string) => boolean, what: string, timeout = 20000): Promise<string> {
    return this.until(() => this.statusBarText(), accept, `status bar ${what}`, timeout);
  }

  /** Hovers the risk item until its tooltip shows (a hover starts when the pointer enters). */
  async statusBarTooltip() {
    const tooltip = this.page.locator('.monaco-hover').filter({ hasText: 'Change Control' }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.mouse.move(700, 300);
      await this.statusBarItem().hover();
      try {
        await tooltip.waitFor({ state: 'visible', timeout: 5000 });
        return tooltip;
      } catch (err) {
        if (attempt === 3) {
          const shot = await this.failureShot('status bar tooltip');
          throw new Error(`the status bar tooltip did not show after 3 hovers; screenshot: ${shot}`);
        }
      }
    }
  }

  /** Runs a command from the palette by its title, e.g. `Change Control: Refresh`. */
  async runCommand(title: string): Promise<void> {
    await this.retry(`running "${title}" from the palette`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await this.page.keyboard.press('Enter');
    });
  }

  /**
   * The workbench moves focus while it settles (an editor opening, a view revealing), and a quick
   * input that loses focus closes: keyboard-driven steps are tried up to three times.
   */
  private async retry(what: string, step: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await step();
        return;
      } catch (err) {
        if (attempt === 3) {
          const shot = await this.failureShot(what);
          throw new Error(`${what} failed 3 times: ${(err as Error).message.split('\n')[0]}; screenshot: ${shot}`);
        }
      }
    }
  }

  /** Answers an open input box (QuickInput) with `text`. */
  async answerInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** Clicks a button of the dialog that shows (a modal message, a sign-in request). */
  async answerDialog(button: string, what: string, timeout = 15000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    const target = dialog.locator('.monaco-button', { hasText: button }).first();
    try {
      await target.waitFor({ state: 'visible', timeout });
    } catch {
      const shot = await this.failureShot(what);
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (a dialog with "${button}"); screenshot: ${shot}`);
    }
    const text = (await dialog.innerText()).trim();
    await target.click();
    return text;
  }

  /** Clicks a button of the notification toast whose message matches. */
  async answerNotification(message: RegExp, button: string, what: string, timeout = 15000): Promise<void> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: message }).first();
    const target = toast.locator('.monaco-button', { hasText: button }).first();
    try {
      await target.waitFor({ state: 'visible', timeout });
    } catch {
      const shot = await this.failureShot(what);
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}; screenshot: ${shot}`);
    }
    await target.click();
  }

  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  checklistRows() {
    return this.page.locator(`.monaco-list[aria-label="${VIEW_NAMES[View.checklist]}"] .monaco-list-row[role=treeitem]`);
  }

  async checklistLabels(): Promise<string[]> {
    return this.page
      .locator(`.monaco-list[aria-label="${VIEW_NAMES[View.checklist]}"] .monaco-list-row[role=treeitem] .label-name`)
      .allInnerTexts();
  }

  /** Opens a file through Quick Open. */
  async openFile(relativePath: string): Promise<void> {
    await this.retry(`opening ${relativePath} with Quick Open`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(relativePath, { timeout: 5000 });
      const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(relativePath) }).first();
      await row.waitFor({ state: 'visible', timeout: 8000 });
      await this.page.keyboard.press('Enter');
      await this.page.locator(`.tab.active[aria-label^="${path.basename(relativePath)}"]`).waitFor({ state: 'visible', timeout: 8000 });
    });
  }

  /** Moves the cursor of the active editor to a line (Quick Open's `:line`), checking the status bar. */
  async goToLine(line: number): Promise<void> {
    const position = this.page.locator('.statusbar-item[id="status.editor.selection"]');
    await this.retry(`going to line ${line}`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`:${line}`, { timeout: 5000 });
      await this.page.keyboard.press('Enter');
      const deadline = Date.now() + 3000;
      while (!(await position.innerText()).startsWith(`Ln ${line},`)) {
        if (Date.now() > deadline) throw new Error(`the cursor is not on line ${line}`);
        await this.page.waitForTimeout(100);
      }
    });
  }

  /** Types at the end of the active editor and saves. */
  async appendToEditorAndSave(text: string): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor textarea').first();
    await editor.focus();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Control+S');
  }

  async problems(): Promise<string[]> {
    return this.page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  }
}
