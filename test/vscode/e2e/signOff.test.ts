// End-to-end: Change Control: Sign Off from the command palette, as a developer meets it. VS Code's
// own GitHub Enterprise sign-in (pointed at the GitHub double through github-enterprise.uri) asks
// for a token; the sign-off runs the tests, asks what the developer attests, and records the change
// record and the `signoff` status on the double, which checks every request against GitHub's
// OpenAPI description. The status bar then says Signed off.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseChangeRecord } from '../../../src/core/signoff/changeRecord';
import { startGitHubDouble, type GitHubDouble } from '../../support/githubDouble';
import { git, write } from '../fixtures';
import { Workbench } from './workbench';

const POLICY = `version: 1
name: Shop policy
levels:
  - { id: regular, title: Regular, checklist: [tests, signoff] }
  - { id: significant, title: Significant, checklist: [tests, reviews-resolved, approval, e2e-local, signoff] }
checklist:
  tests: { kind: command, title: All automated tests pass, run: "node -e \\"console.log('tests ran')\\"" }
  reviews-resolved: { kind: reviews-resolved, title: All review comments addressed }
  approval: { kind: approval, title: Approved by a reviewer }
  e2e-local: { kind: attestation, title: Ran it locally and tested end to end }
  signoff: { kind: signoff, title: Formal sign-off recorded }
zones:
  auth: { title: Authentication, level: significant, paths: ["src/auth/**"] }
`;

describe('Sign Off in the editor (code-server + Chromium + the GitHub double)', function () {
  this.timeout(120000);
  let wb: Workbench;
  let github: GitHubDouble;
  let repo: string;
  let head: string;
  const REPO = 'acme/shop';
  const TOKEN = 'ghp_e2eSignOffToken0000000000000000000000';

  before(async () => {
    const tmp = fs.mkdtempSync(path.join(process.env.CHANGE_CONTROL_TMP ?? os.tmpdir(), 'e2e-signoff-'));
    repo = path.join(tmp, 'shop');
    const origin = path.join(tmp, 'origin.git');
    fs.mkdirSync(repo);
    git(tmp, 'init', '-q', '--bare', origin);
    git(repo, 'init', '-q', '-b', 'main');
    write(repo, '.github/change-control.yml', POLICY);
    write(repo, 'README.md', '# shop\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'start');
    git(repo, 'remote', 'add', 'origin', origin);
    git(repo, 'push', '-q', '-u', 'origin', 'main');
    git(repo, 'checkout', '-q', '-b', 'login-rate-limit');
    write(repo, 'src/auth/login.ts', 'export const attempts = 5;\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Rate-limit logins');
    git(repo, 'push', '-q', '-u', 'origin', 'login-rate-limit');
    head = git(repo, 'rev-parse', 'HEAD').trim();

    github = await startGitHubDouble();
    github
      .token(TOKEN, 'dana', { scopes: ['repo', 'read:org'] })
      .repo(REPO, { collaborators: { dana: 'write', sam: 'write' } })
      .push(REPO, git(repo, 'rev-parse', 'main').trim(), head);
    github.pullRequest(REPO, { number: 12, author: 'dana', title: 'Rate-limit logins', head: { ref: 'login-rate-limit', sha: head }, base: { ref: 'main', sha: git(repo, 'rev-parse', 'main').trim() } });
    github.review(REPO, 12, { user: 'sam', state: 'APPROVED', commitId: head });

    wb = await Workbench.start({
      open: repo,
      name: 'signoff',
      settings: { 'github-enterprise.uri': github.url, 'changeControl.github.repository': REPO },
    });
  });
  after(async () => {
    await wb?.close();
    await github?.close();
  });

  it('signs in through VS Code, runs the tests, asks what you attest, and records the sign-off on GitHub', async () => {
    await wb.statusBarUntil((t) => t.startsWith('Significant'), 'to show Significant');
    await wb.runCommand('Change Control: Sign Off');
    // VS Code asks before an extension signs in, then its GitHub Enterprise sign-in takes a token.
    await wb.answerDialog('Allow', 'VS Code asking to let Change Control sign in to GitHub Enterprise Server', 30000);
    await wb.answerNotification(/try a different way/, 'Yes', 'the sign-in offering a personal access token', 30000);
    await wb.answerDialog('Continue to GitHub', 'the sign-in asking to create a token');
    // Opening the token page is refused by this closed machine; the input box comes all the same.
    await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^(Cancel|Open)$/ }).first().click({ timeout: 3000 }).catch(() => {});
    await wb.answerInput(TOKEN);

    const attest = await wb.answerDialog('Sign Off', 'the final confirmation of what is attested', 60000);
    assert.match(attest, /By signing off you attest that:/);
    assert.match(attest, /Ran it locally and tested end to end/);

    await wb.until(() => wb.notifications(), (n) => n.some((m) => /Signed off: Significant change at [0-9a-f]{7}, by @dana\./.test(m)), 'the signed-off notification', 60000);
    const state = github.state.mustRepo(REPO);
    assert.equal(state.comments.length, 1);
    const parsed = parseChangeRecord(state.comments[0].body);
    assert.ok(parsed.ok);
    assert.equal(parsed.record.signer, 'dana');
    assert.equal(parsed.record.head, head);
    assert.equal(parsed.record.checklist.find((c) => c.id === 'tests')?.evidence?.exitCode, 0);
    assert.equal(state.statuses.length, 1);
    assert.equal(state.statuses[0].creator, 'dana');
    assert.equal(state.statuses[0].description, `Significant · signed off by @dana · ${parsed.digest.slice(0, 8)}`);
    await wb.statusBarUntil((t) => t.includes('Signed off'), 'to say Signed off', 20000);
    // What GitHub said at sign-off stands in the checklist while HEAD is the commit signed off.
    await wb.statusBarItem().click();
    const labels = await wb.until(() => wb.checklistLabels(), (l) => l.includes('Approved by a reviewer'), 'the checklist');
    const row = wb.checklistRows().filter({ hasText: 'Approved by a reviewer' });
    assert.match(await row.innerText(), /done/, labels.join(' | '));
    await wb.screenshot('signed-off');
    github.assertNoViolations();
  });
});
