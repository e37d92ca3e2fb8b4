// End-to-end with workspace trust enabled, and the welcome views: an untrusted repository shows
// the checklist but never runs the policy's commands and says why; a folder without git and a
// repository without changes or policy show a way forward.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git, makeFixtures, write, type Fixtures } from '../fixtures';
import { Workbench } from './workbench';

describe('workspace trust and welcome views (code-server + Chromium)', function () {
  this.timeout(60000);
  let wb: Workbench;
  let fixtures: Fixtures;
  let markers: string;

  before(async () => {
    fixtures = makeFixtures(fs.mkdtempSync(path.join(process.env.CHANGE_CONTROL_TMP ?? os.tmpdir(), 'e2e-trust-')));
    // A repository whose own config names programs that read-only git commands would run.
    markers = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-markers-'));
    const app = fixtures.app;
    write(app, '.git/hooks-bin/fsmonitor', `#!/bin/sh\ntouch ${markers}/fsmonitor\n`);
    fs.chmodSync(path.join(app, '.git/hooks-bin/fsmonitor'), 0o755);
    git(app, 'config', 'core.fsmonitor', path.join(app, '.git/hooks-bin/fsmonitor'));
    git(app, 'config', 'filter.evil.clean', `sh -c 'touch ${markers}/clean; cat'`);
    git(app, 'config', 'diff.evil.textconv', `sh -c 'touch ${markers}/textconv; cat "$0"'`);
    write(app, '.git/info/attributes', '*.ts filter=evil diff=evil\n');
    write(app, 'src/ui/button.ts', 'export const label = "Go on";\n');
    wb = await Workbench.start({ open: fixtures.app, name: 'trust', trust: true });
  });
  after(async () => {
    await wb?.close();
    if (markers) fs.rmSync(markers, { recursive: true, force: true });
  });

  it('in an untrusted workspace: shows the checklist and says why the policy’s commands do not run', async () => {
    await wb.answerTrust(false);
    await wb.statusBarUntil((t) => t === 'Regular', 'to show Regular in restricted mode');
    await wb.statusBarItem().click();
    const labels = await wb.until(() => wb.checklistLabels(), (l) => l.some((x) => x.startsWith('Workspace not trusted')), 'the untrusted notice in the checklist');
    assert.ok(labels.includes('All automated tests pass'), labels.join(' | '));
    const row = wb.checklistRows().filter({ hasText: 'All automated tests pass' });
    assert.match(await row.innerText(), /to do · untrusted/);
    assert.match((await row.getAttribute('aria-label')) ?? '', /Not run: the workspace is not trusted/, 'the row’s tooltip says why');
    const message = await wb.page.locator(`[id="workbench.view.extension.changeControl"] .message`).first().innerText().catch(() => '');
    assert.match(message, /not trusted/);
    await wb.screenshot('untrusted-workspace');
    // The audit fetches with git: not in restricted mode.
    await wb.runCommand('Change Control: Open Audit Report');
    await wb.until(() => wb.notifications(), (n) => n.some((m) => /Open Audit Report .* not available in an untrusted workspace/.test(m)), 'the untrusted audit refusal');
    assert.deepEqual(fs.readdirSync(markers), [], 'no program configured by the repository ran');
  });

  it('a folder that is not a git repository: the welcome view offers a way forward', async () => {
    await wb.open(fixtures.notes);
    await wb.answerTrust(true);
    await wb.statusBarUntil((t) => t === 'No repository', 'to show No repository');
    await wb.statusBarItem().click();
    const welcome = await wb.until(() => wb.checklistWelcome(), (t) => t.includes('not a git repository'), 'the no-repository welcome');
    assert.match(welcome, /Initialize Repository/);
  });

  it('a repository without changes and without a policy file: the welcome view offers Create Policy…', async () => {
    await wb.open(fixtures.lib);
    await wb.answerTrust(true);
    await wb.statusBarUntil((t) => t === 'No changes', 'to show No changes');
    await wb.statusBarItem().click();
    const welcome = await wb.until(() => wb.checklistWelcome(), (t) => t.includes('Create Policy'), 'the no-policy welcome');
    assert.match(welcome, /No changes on this branch/);
    await wb.screenshot('welcome-no-policy');

    // The way forward: the welcome view's button, a preset, and the policy opens in the editor.
    await wb.page.locator('[id="workbench.view.extension.changeControl"] .welcome-view-content .monaco-button', { hasText: 'Create Policy' }).click();
    const pick = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'two-tier' }).first();
    await pick.waitFor({ state: 'visible', timeout: 10000 });
    await pick.click();
    await wb.waitFor('.tab.active[aria-label^="change-control.yml"]', 'the new policy file in the editor');
    assert.ok(fs.existsSync(path.join(fixtures.lib, '.github', 'change-control.yml')));
    // The new policy file is itself a change, in the preset's `policy` zone.
    await wb.statusBarUntil((t) => t === 'Significant · policy', 'to classify the new policy file');
  });
});
