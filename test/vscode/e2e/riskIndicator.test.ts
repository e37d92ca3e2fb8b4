// End-to-end: a developer opens a repository, sees the risk in the status bar, edits a file in an
// auth zone, saves, and sees the status bar change; then reads the checklist in the sidebar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeFixtures, type Fixtures } from '../fixtures';
import { Workbench } from './workbench';

describe('risk indicator in a real workbench', function () {
  this.timeout(90000);
  let wb: Workbench;
  let fixtures: Fixtures;

  before(async () => {
    fixtures = makeFixtures(fs.mkdtempSync(path.join(process.env.CHANGE_CONTROL_TMP ?? os.tmpdir(), 'e2e-fixtures-')));
    wb = await Workbench.start({ open: fixtures.app, name: 'risk' });
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the status bar item', async () => {
    const text = await wb.statusBarUntil((t) => t.length > 0, 'to show the risk item');
    assert.match(text, /Change Control|Regular|Significant/);
    await wb.screenshot('status-bar');
  });
});
