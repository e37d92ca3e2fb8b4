// End-to-end in Debian's Chromium: a developer opens a repository, edits and saves a file in the
// auth zone and sees the status bar change, opens the checklist, runs commands from the palette,
// and breaks the policy to see the error in Problems. Screenshots go to test-results/vscode/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURE_POLICY, makeFixtures, type Fixtures } from '../fixtures';
import { Workbench } from './workbench';

describe('Change Control in a real workbench (code-server + Chromium)', function () {
  this.timeout(60000);
  let wb: Workbench;
  let fixtures: Fixtures;

  before(async () => {
    fixtures = makeFixtures(fs.mkdtempSync(path.join(process.env.CHANGE_CONTROL_TMP ?? os.tmpdir(), 'e2e-fixtures-')));
    wb = await Workbench.start({ open: fixtures.app, name: 'main' });
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the risk of the branch in the status bar', async () => {
    const text = await wb.statusBarUntil((t) => t === 'Regular', 'to show Regular');
    assert.equal(text, 'Regular');
  });

  it('raises the status bar to Significant after a save in the auth zone', async () => {
    await wb.openFile('src/auth/session.ts');
    await wb.appendToEditorAndSave('\n// remember me for 30 days');
    const text = await wb.statusBarUntil((t) => t.startsWith('Significant'), 'to show Significant after the save');
    assert.equal(text, 'Significant · auth');
    const background = await wb.statusBarItem().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the warning background is set');
    const tooltip = await wb.statusBarTooltip();
    assert.match(await tooltip.innerText(), /Why this change is significant/);
    await wb.screenshot('status-bar-significant');
  });

  it('marks the changed auth file in the Explorer', async () => {
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('View: Show Explorer');
    // File decoration badges are drawn by CSS (::after), so read the computed content.
    const label = wb.page.locator('.explorer-folders-view .monaco-list-row[aria-label*="session.ts"] .monaco-icon-label').first();
    const badge = await wb.until(
      () => label.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }).getComputedStyle(el, '::after').content),
      (c) => c.includes('⚑'),
      'the Change Control badge on session.ts in the Explorer',
    );
    assert.match(badge, /⚑/);
    await wb.screenshot('explorer-decoration');
  });

  it('reveals the checklist from the status bar and reads it', async () => {
    await wb.statusBarItem().click();
    const labels = await wb.until(() => wb.checklistLabels(), (l) => l.some((x) => x.startsWith('Checklist')), 'checklist rows in the sidebar');
    assert.ok(labels.includes('Why Significant'), labels.join(' | '));
    assert.ok(labels.includes('src/auth/session.ts'), labels.join(' | '));
    assert.ok(labels.includes('Checklist · Significant'), labels.join(' | '));
    for (const item of ['All automated tests pass', 'Ran it locally and tested end to end', 'Change record filled in', 'Formal sign-off recorded']) {
      assert.ok(labels.includes(item), `${item} in ${labels.join(' | ')}`);
    }
    assert.ok(labels.includes('Description of the change'), labels.join(' | '));
    await wb.screenshot('checklist');
  });

  it('ticks an attestation in the tree and records it', async () => {
    const row = wb.checklistRows().filter({ hasText: 'Ran it locally and tested end to end' });
    await row.locator('.custom-view-tree-node-item-checkbox, .monaco-checkbox, input[type=checkbox]').first().click();
    await wb.until(async () => (await row.innerText()).includes('done'), (v) => v, 'the attestation to show done');
  });

  it('runs commands from the palette: Sign Off fails closed without a GitHub repository, saying how to name one', async () => {
    await wb.runCommand('Change Control: Sign Off');
    const messages = await wb.until(() => wb.notifications(), (m) => m.some((x) => x.includes('not signed off')), 'the Sign Off notification');
    assert.ok(messages.some((m) => m.includes('changeControl.github.repository setting')), messages.join(' | '));
  });

  it('runs commands from the palette: Show Assessment opens the report, rendered', async () => {
    await wb.runCommand('Change Control: Show Assessment');
    await wb.until(
      async () => wb.page.locator('.editor-group-container.active .tab.active').innerText(),
      (t) => /Preview .* assessment\.md/.test(t),
      'the preview tab of the assessment report',
    );
    // The markdown preview is a webview: its rendered text lives in a frame of its own.
    await wb.until(
      async () => {
        for (const frame of wb.page.frames()) {
          const text = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '');
          if (text.includes('Change Control: Significant') && !text.includes('###')) return true;
        }
        return false;
      },
      (found) => found,
      'the rendered report (a heading, not markdown source)',
    );
    await wb.screenshot('assessment-report');
  });

  it('highlights a changed line that fires a content rule, with a CodeLens naming it', async () => {
    await wb.openFile('src/billing/invoice.ts');
    await wb.appendToEditorAndSave('\nexport const fee = (card: any) => card.charge(1');
    const lens = wb.page.locator('.editor-group-container.active .codelens-decoration', { hasText: 'Payments (matches' });
    // VS Code redraws CodeLenses as the editor settles: read the text once it has been drawn.
    const text = await wb.until(async () => ((await lens.count()) > 0 ? lens.first().innerText() : ''), (t) => t.trim().length > 0, 'the CodeLens on the charge( line');
    assert.match(text, /Significant: Payments \(matches `charge\(`\)/);
    assert.equal(await wb.statusBarText(), 'Significant · auth, payments');
    await wb.screenshot('codelens');
  });

  it('the status bar tooltip links each reason to its file', async () => {
    const tooltip = await wb.statusBarTooltip();
    const link = tooltip.locator('a', { hasText: 'src/auth/session.ts' }).first();
    await link.waitFor({ state: 'visible', timeout: 5000 });
    await link.click();
    await wb.waitFor('.tab.active[aria-label^="session.ts"]', 'session.ts to open from the tooltip link');
  });

  it('runs a checklist command from its tree item, with progress, and cancels a long one', async () => {
    await wb.statusBarItem().click();
    const runFrom = async (title: string) => {
      const row = wb.checklistRows().filter({ hasText: title });
      await row.hover();
      await row.locator('.action-label[aria-label="Run Checklist Command"]').click();
      return row;
    };
    await runFrom('All automated tests pass');
    await wb.until(() => wb.notifications(), (m) => m.some((x) => x.includes('"All automated tests pass" passed')), 'the test run to pass');

    // A click that lands while the row re-renders is lost: click again until it runs (a second
    // click on a running item does nothing).
    let slow = await runFrom('Payment load test');
    for (let attempt = 1; !(await slow.innerText()).includes('running…'); attempt++) {
      if (attempt > 3) await wb.until(async () => slow.innerText(), (t) => t.includes('running…'), 'the load test to show running');
      await wb.page.waitForTimeout(1000);
      if (!(await slow.innerText()).includes('running…')) slow = await runFrom('Payment load test');
    }
    assert.equal(await wb.page.locator('.notifications-toasts .notification-list-item', { hasText: 'Payment load test' }).count(), 1, 'one run, with its progress');
    const toast = wb.page.locator('.notifications-toasts .notification-list-item', { hasText: 'Payment load test' }).first();
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    // The tree shows the run stopped; the next test reads "was cancelled; nothing was recorded" in
    // the log (the toast itself may be stacked away behind the others).
    await wb.until(async () => slow.innerText(), (t) => !t.includes('running…'), 'the load test to stop running');
  });

  it('logs to the Change Control output channel', async () => {
    await wb.runCommand('Change Control: Show Log');
    await wb.until(
      async () => (await wb.page.locator('.part.panel .output-view .view-lines').innerText()).replace(/\u00a0/g, ' '),
      (t) => t.includes('[info]') && t.includes('"Payment load test" was cancelled'),
      'the Change Control log in the Output panel',
    );
  });

  // A measurement, not a behaviour of ours: recorded when VS Code's own view opens, skipped (with
  // the reason) when the workbench does not open it in time, so it can never fail a run.
  it('VS Code’s own account of the activation (Developer: Show Running Extensions)', async function () {
    const row = wb.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Change Control' }).first();
    let shown = false;
    for (let attempt = 0; attempt < 2 && !shown; attempt++) {
      await wb.runCommand('Developer: Show Running Extensions');
      shown = await row.waitFor({ state: 'visible', timeout: 15000 }).then(
        () => true,
        () => false,
      );
    }
    if (!shown) {
      console.log('      the Running Extensions view did not open in time: activation not recorded this run');
      this.skip();
    }
    const text = await row.innerText();
    const details = await row.evaluate((el) => [...(el as unknown as { querySelectorAll(s: string): { getAttribute(a: string): string | null }[] }).querySelectorAll('[title], [aria-label]')].map((e) => e.getAttribute('title') ?? e.getAttribute('aria-label')).join(' | '));
    console.log(`      ${text.replace(/\s+/g, ' ').trim()} — ${details}`);
    await wb.screenshot('running-extensions');
    fs.writeFileSync(path.join(process.env.CHANGE_CONTROL_RESULTS ?? '.', 'running-extensions.txt'), `${text}\n`);
  });

  it('shows a policy error in the Problems panel and keeps the last good policy', async () => {
    await wb.openFile('.github/change-control.yml');
    const line = FIXTURE_POLICY.split('\n').findIndex((l) => l.includes('paths: ["src/auth/**"]'));
    await wb.goToLine(line); // the `level:` line just above (1-based: index of paths = line of level)
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.type('level: critical');
    await wb.page.keyboard.press('Control+S');
    await wb.statusBarUntil((t) => t.startsWith('Policy error'), 'to show the policy error');
    await wb.page.keyboard.press('Control+Shift+M');
    const problems = await wb.until(() => wb.problems(), (p) => p.some((x) => x.includes('unknown level "critical"')), 'the policy error in Problems');
    assert.ok(problems.some((p) => /Ln \d+|\[\d+/.test(p) || p.includes('critical')));
    assert.match(await wb.statusBarText(), /Policy error · Significant/);
    await wb.screenshot('policy-error-problems');
  });

  it('edits the change record from the palette: pick a field, type, Enter', async () => {
    await wb.runCommand('Change Control: Edit Change Record…');
    const field = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Rollback plan' }).first();
    await field.waitFor({ state: 'visible', timeout: 10000 });
    await field.click();
    await wb.answerInput('Revert the merge commit; no data migration to undo');
    await wb.statusBarItem().click();
    const row = wb.checklistRows().filter({ hasText: 'Rollback plan' });
    await wb.until(async () => row.innerText(), (t) => t.includes('Revert the merge commit'), 'the rollback plan in the checklist view');
  });

  it('declares an emergency from the palette; the status bar shows it', async () => {
    await wb.runCommand('Change Control: Declare Emergency…');
    await wb.answerInput('Checkout is down for EU customers');
    const text = await wb.statusBarUntil((t) => t.includes('Emergency'), 'to show the emergency');
    assert.match(text, /^Policy error · Emergency · Significant|^Emergency · Significant/);
    await wb.until(() => wb.notifications(), (m) => m.some((x) => x.includes('emergency declared')), 'the emergency notification');
  });
});
