// End-to-end: Change Control: Open Audit Report from the command palette. The repository has a
// realistic merged history (test/node/auditWorld.ts) and the GitHub double holds its reviews,
// statuses and change records; VS Code's GitHub Enterprise sign-in takes a token; the report opens
// in a webview in Chromium, and what it shows — its counts, its rows, its chart — is what the
// CLI's JSON report of the same period says.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { makeAuditWorld, type AuditWorld } from '../../node/auditWorld';
import { runCliProcess } from '../../node/cliProcess';
import { Workbench } from './workbench';

describe('Open Audit Report in the editor (code-server + Chromium + the GitHub double)', function () {
  this.timeout(180000);
  let wb: Workbench;
  let world: AuditWorld;
  const TOKEN = 'ghp_e2eAuditToken000000000000000000000000';

  before(async () => {
    world = await makeAuditWorld(84);
    world.github.token(TOKEN, 'auditor', { scopes: ['repo', 'read:org'] });
    wb = await Workbench.start({ open: world.repo.root, name: 'audit', settings: { 'github-enterprise.uri': world.github.url, 'changeControl.github.repository': 'acme/shop' } });
  });
  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  /** The frame of the webview that holds the report (webviews are iframes within iframes). */
  const reportFrame = async (): Promise<Frame> => {
    const found = await wb.until(
      async () => {
        for (const frame of wb.page.frames()) {
          if (await frame.locator('[data-summary="changes"]').count().catch(() => 0)) return frame;
        }
        return undefined;
      },
      (f) => f !== undefined,
      'the audit report in a webview',
      120000,
    );
    return found!;
  };

  it('asks for the period, signs in through VS Code, and shows the report the CLI writes', async () => {
    await wb.statusBarUntil((t) => t.length > 0, 'to show the assessment');
    await wb.runCommand('Change Control: Open Audit Report');
    const pick = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dates…' }).first();
    await pick.waitFor({ state: 'visible', timeout: 15000 });
    await pick.click();
    // Each date has its own input box: answer each once it shows its own prompt.
    const answerPrompt = async (prompt: RegExp, text: string) => {
      await wb.until(() => wb.page.locator('.quick-input-widget').innerText(), (t) => prompt.test(t), `the prompt ${prompt}`);
      await wb.answerInput(text);
    };
    await answerPrompt(/From \(the first day of the period\)/, world.since);
    await answerPrompt(/To \(the last day of the period\)/, world.until);
    await wb.answerDialog('Allow', 'VS Code asking to let Change Control sign in to GitHub Enterprise Server', 30000);
    await wb.answerNotification(/try a different way/, 'Yes', 'the sign-in offering a personal access token', 30000);
    await wb.answerDialog('Continue to GitHub', 'the sign-in asking to create a token');
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^(Cancel|Open)$/ }).first().click({ timeout: 3000 }).catch(() => {});
    await wb.answerInput(TOKEN);

    const frame = await reportFrame();
    // The CLI in its own process (the double answers from this one meanwhile).
    const run = await runCliProcess(world.repo.root, ['audit', '--repo', 'acme/shop', '--since', world.since, '--until', world.until, '--format', 'json'], world.env);
    assert.equal(run.code, 0, run.stderr);
    const cli = JSON.parse(run.stdout) as { summary: { pullRequests: number; directPushes: number; byVerdict: Record<string, number>; byException: Record<string, number> }; pullRequests: { number: number; exceptions: string[] }[] };
    const tile = async (field: string) => (await frame.locator(`[data-summary="${field}"]`).innerText()).trim();
    assert.equal(await tile('pullRequests'), String(cli.summary.pullRequests));
    assert.equal(await tile('directPushes'), String(cli.summary.directPushes));
    assert.equal(await tile('compliant'), String(cli.summary.byVerdict.compliant));
    assert.equal(await tile('exceptions'), String(cli.summary.byVerdict.exceptions));
    for (const [id, count] of Object.entries(cli.summary.byException)) {
      assert.equal((await frame.locator(`tr[data-exception="${id}"] [data-count]`).innerText()).trim(), String(count), id);
    }
    // One row per pull request, each with the verdict the JSON gives it.
    const rows = await frame.locator('tr[data-kind="pull-request"]').evaluateAll((trs) => trs.map((tr) => ({ number: Number(tr.getAttribute('data-number')), verdict: tr.querySelector('[data-verdict]')?.textContent ?? '' })));
    assert.equal(rows.length, cli.pullRequests.length);
    for (const pr of cli.pullRequests) {
      const row = rows.find((r) => r.number === pr.number);
      assert.ok(row, `#${pr.number} has a row`);
      for (const id of pr.exceptions) assert.ok(row.verdict.includes(id), `#${pr.number} shows ${id}`);
    }
    // The chart: a bar for each week, their totals adding up to the population.
    const weeks = await frame.locator('svg.chart g.week').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-total'))));
    assert.ok(weeks.length >= 12);
    assert.equal(weeks.reduce((a, b) => a + b, 0), cli.summary.pullRequests + cli.summary.directPushes);
    await wb.screenshot('audit-report');
    // The toast may already have gone to the notification centre.
    await wb.runCommand('Notifications: Show Notifications');
    const said = await wb.until(() => wb.page.locator('.notifications-center .notification-list-item-message, .notifications-toasts .notification-list-item-message').allInnerTexts(), (n) => n.some((m) => /audited \d+ changes to main/.test(m)), 'the audited notification', 30000);
    assert.ok(said.some((m) => m.includes(`(${cli.summary.pullRequests} pull requests, ${cli.summary.directPushes} direct pushes)`)), said.join(' | '));
    world.github.assertNoViolations();
  });
});
