// `change-control signoff` as a person runs it: the built CLI in a real process, a real repository
// with a bare "origin" beside it, and the GitHub double (every request and response checked
// against GitHub's OpenAPI description) holding what the sign-off recorded.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseChangeRecord } from '../../src/core/signoff/changeRecord';
import { faults, type GitHubDouble } from '../support/githubDouble';
import { WebhookReceiver } from '../support/webhookReceiver';
import { CLI, runCliProcess as runCli } from './cliProcess';
import type { TestRepo } from './gitRepo';
import { makeSignoffWorld, REPO, type SignoffWorld } from './signoffWorld';


const POLICY = `version: 1
owner: "@lead"
levels:
  - { id: regular, title: Regular, checklist: [tests, signoff] }
  - { id: significant, title: Significant, checklist: [tests, reviews-resolved, owner-approval, e2e, record, signoff, post-review] }
checklist:
  tests: { kind: command, title: Tests pass, run: "node -e \\"process.exit(0)\\"" }
  reviews-resolved: { kind: reviews-resolved, title: All review comments addressed }
  owner-approval: { kind: approval, title: Final approval from a code owner, from: { codeOwners: true } }
  e2e: { kind: attestation, title: Tested end to end locally }
  record: { kind: change-request, title: Change request, fields: [description, rollback-plan] }
  signoff: { kind: signoff, title: Formal sign-off recorded }
  post-review: { kind: post-review, title: Post-implementation review }
  reviewer: { kind: review, title: At least one reviewer }
zones:
  auth: { title: Authentication, level: significant, paths: ["src/auth/**"] }
notify:
  deploys: { title: "#deployments", kind: slack, secret: DEPLOYS_WEBHOOK, on: [signoff, emergency] }
emergency:
  checklist: [tests, reviewer]
  postReview: { within: 48h, checklist: [post-review] }
`;


describe('change-control signoff, against GitHub', function () {
  this.timeout(60_000);
  let github: GitHubDouble;
  let repo: TestRepo;
  let head: string;
  let env: NodeJS.ProcessEnv;

  before(() => assert.ok(existsSync(CLI), 'dist/cli.js is built (npm run build)'));

  let world: SignoffWorld;
  beforeEach(async () => {
    world = await makeSignoffWorld(POLICY);
    ({ github, repo, head, env } = world);
  });

  afterEach(() => world.dispose());

  const signoff = (...args: string[]) => runCli(repo.root, ['signoff', '--repo', REPO, ...args], env);
  const signoffWith = (extra: NodeJS.ProcessEnv, ...args: string[]) => runCli(repo.root, ['signoff', '--repo', REPO, ...args], { ...env, ...extra });
  const repoState = () => world.state();

  it('verifies, records the change record on the pull request, then the status, and keeps it in the branch', async () => {
    const r = await signoff('--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /By signing off you attest that:\n  • Tested end to end locally/);
    assert.match(r.stdout, /Change record written: /);
    assert.match(r.stdout, /Signed off: Significant change, by @dev\./);

    const [comment] = repoState().comments;
    assert.equal(repoState().comments.length, 1);
    assert.equal(comment.user, 'dev');
    const parsed = parseChangeRecord(comment.body);
    assert.ok(parsed.ok, !parsed.ok ? parsed.problem : '');
    const record = parsed.record;
    assert.equal(record.head, head);
    assert.equal(record.signer, 'dev');
    assert.equal(record.level.id, 'significant');
    assert.deepEqual(record.pullRequest, { number: 7, url: record.pullRequest?.url });
    const approval = record.checklist.find((c) => c.id === 'owner-approval');
    assert.equal(approval?.state, 'done');
    assert.equal(approval?.evidence?.approvals?.[0]?.reviewer, 'sec');
    assert.equal(record.checklist.find((c) => c.id === 'tests')?.evidence?.exitCode, 0, 'the tests ran now, and their exit code is kept');
    assert.deepEqual(record.changeRequest.map((f) => f.value), ['Rate-limit logins', 'Revert the commit']);

    const [status] = repoState().statuses;
    assert.equal(repoState().statuses.length, 1);
    assert.equal(status.sha, head);
    assert.equal(status.context, 'signoff');
    assert.equal(status.state, 'success');
    assert.equal(status.creator, 'dev');
    assert.equal(status.description, `Significant · signed off by @dev · ${parsed.digest.slice(0, 8)}`);
    assert.match(status.targetUrl ?? '', /#issuecomment-\d+$/);
    // The status is written only after the comment.
    const order = github.requests.map((q) => q.operationId).filter((id) => id === 'issues/create-comment' || id === 'repos/create-commit-status');
    assert.deepEqual(order, ['issues/create-comment', 'repos/create-commit-status']);

    const evidence = JSON.parse(readFileSync(path.join(repo.root, '.git', 'change-control', 'branch-feature.json'), 'utf8'));
    assert.equal(evidence.signoff.by, 'dev');
    assert.equal(evidence.signoff.commit, head);
    const check = await runCli(repo.root, ['check', '--format', 'json'], {});
    assert.equal(JSON.parse(check.stdout).checklist.find((c: { id: string }) => c.id === 'signoff').state, 'done');
  });

  it('tells the policy’s targets once recorded; a target that cannot be told never undoes the sign-off', async () => {
    const hook = await WebhookReceiver.start();
    try {
      const r = await signoffWith({ DEPLOYS_WEBHOOK: hook.url() }, '--yes');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Told deploys \(#deployments\), slack via \$DEPLOYS_WEBHOOK\./);
      const [message] = hook.json() as { text: string }[];
      assert.match(message.text, /Signed off/);
      assert.match(message.text, /^Signed off: acme\/shop feature at [0-9a-f]{7} by dev — Significant \(Authentication\)\.$/);
      assert.ok(!r.stdout.includes(hook.url()), 'the webhook URL is a secret: never printed');
      const again = await signoffWith({ DEPLOYS_WEBHOOK: hook.url() }, '--yes');
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.equal(hook.requests.length, 1, 'signing off the same record again tells no one twice');
    } finally {
      await hook.close();
    }
    // Unset, then failing: the sign-off is recorded all the same, and says who was not told.
    repo.write('src/auth/login.ts', 'export const login = () => false;\n');
    repo.git('commit', '-qam', 'again');
    repo.git('push', '-q');
    const head2 = repo.git('rev-parse', 'HEAD');
    github.push(REPO, head2);
    repoState().pulls.get(7)!.head.sha = head2;
    github.review(REPO, 7, { user: 'sec', state: 'APPROVED', commitId: head2 });
    const failing = await WebhookReceiver.start();
    try {
      failing.always(500, 'boom');
      const r = await signoffWith({ DEPLOYS_WEBHOOK: failing.url() }, '--yes');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Note: deploys \(#deployments\), slack via \$DEPLOYS_WEBHOOK was not told: .* after \d+ attempts \(the sign-off stands\)/);
      assert.equal(repoState().statuses.filter((st) => st.sha === head2).length, 1);
    } finally {
      await failing.close();
    }
  });

  it('with no pull request yet, writes the status alone and says how to open one', async () => {
    repoState().pulls.delete(7);
    // Without a pull request there are no reviews to read: the policy's approval cannot be met.
    const r = await signoff('--yes');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Final approval from a code owner: there is no pull request to read it from yet: open one \(gh pr create, or on GitHub\), then sign off again\./);
    const lenient = POLICY.replace('checklist: [tests, reviews-resolved, owner-approval, e2e, record, signoff, post-review]', 'checklist: [tests, e2e, record, signoff, post-review]');
    repo.write('.github/change-control.yml', lenient);
    repo.git('commit', '-qam', 'policy without approvals');
    repo.git('push', '-q');
    const head2 = repo.git('rev-parse', 'HEAD');
    github.push(REPO, head2);
    const ok = await signoff('--yes');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /Note: No open pull request for feature yet: the status alone is written\. Open one/);
    assert.equal(repoState().comments.length, 0);
    assert.deepEqual(repoState().statuses.map((st) => [st.sha, st.context, st.state]), [[head2, 'signoff', 'success']]);
  });

  it('a second sign-off of the same commit writes nothing new', async () => {
    assert.equal((await signoff('--yes')).code, 0);
    const r = await signoff('--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Change record unchanged/);
    assert.match(r.stdout, /Status already set/);
    assert.equal(repoState().comments.length, 1);
    assert.equal(repoState().statuses.length, 1);
  });

  it('refuses when a code owner has not approved HEAD, says who must, and records nothing', async () => {
    const pr = repoState().pulls.get(7)!;
    pr.reviews = [];
    github.review(REPO, 7, { user: 'outsider', state: 'APPROVED', commitId: head });
    github.review(REPO, 7, { user: 'dev', state: 'APPROVED', commitId: head });
    const r = await signoff('--yes');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Not signed off: 1 thing to do first\. Nothing was recorded\./);
    assert.match(r.stdout, /Final approval from a code owner: Still needs approval from a code owner of src\/auth\/login\.ts \(@acme\/security\)/);
    assert.equal(repoState().comments.length, 0);
    assert.equal(repoState().statuses.length, 0);
  });

  it('refuses an approval followed by changes requested, and an open review thread, listing each', async () => {
    github.review(REPO, 7, { user: 'sec', state: 'CHANGES_REQUESTED', commitId: head });
    github.reviewThread(REPO, 7, { path: 'src/auth/login.ts', line: 1, resolved: false, outdated: true, author: 'sec' });
    const r = await signoff('--yes');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /@sec requested changes/);
    assert.match(r.stdout, /1 review thread is not resolved \(outdated ones count too\): resolve it on the pull request: src\/auth\/login\.ts \(outdated\) http:\/\/127\.0\.0\.1:\d+\/acme\/shop\/pull\/7#discussion_r\d+\./);
  });

  it('fails closed when the token cannot see the team, and says why', async () => {
    const r = await runCli(repo.root, ['signoff', '--repo', REPO, '--yes'], { ...env, GITHUB_TOKEN: 'tok-noorg' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Cannot tell whether @sec in @acme\/security: the token cannot see the team \(it needs the read:org scope/);
    assert.equal(repoState().statuses.length, 0);
  });

  it('refuses a dirty tree and unpushed work, each with what to do', async () => {
    repo.write('notes.txt', 'scratch\n');
    let r = await signoff('--yes');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /uncommitted or untracked files.*git stash -u/);
    repo.git('add', 'notes.txt');
    repo.git('commit', '-q', '-m', 'notes');
    r = await signoff('--yes');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /is not pushed to origin\/feature: run `git push`/);
    assert.equal(repoState().statuses.length, 0);
  });

  it('a token that is not a person’s cannot sign off; no token says how to give one', async () => {
    // GitHub will not even say whose an app's token is (GET /user answers 403).
    const bot = await runCli(repo.root, ['signoff', '--repo', REPO, '--yes'], { ...env, GITHUB_TOKEN: 'tok-ci' });
    assert.equal(bot.code, 2, bot.stdout + bot.stderr);
    assert.match(bot.stderr, /^change-control: GitHub refused to tell whose token this is: the token is an app's .*use a person's token\.\n$/);
    assert.equal(repoState().statuses.length, 0);
    const none = await runCli(repo.root, ['signoff', '--repo', REPO, '--yes'], { GITHUB_API_URL: github.url });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No GitHub token: set GITHUB_TOKEN \(or GH_TOKEN\)/);
  });

  it('needs the attestations confirmed: without a terminal, --yes', async () => {
    const r = await signoff();
    assert.equal(r.code, 2);
    assert.match(r.stdout, /• Tested end to end locally/);
    assert.match(r.stderr, /confirm the attestations above with --yes/);
    assert.equal(repoState().comments.length, 0);
  });

  it('a status GitHub refuses after the comment says what was written; signing off again finishes without a second comment', async () => {
    github.fail(faults.forbidden('Resource not accessible by personal access token'), { operation: 'repos/create-commit-status' });
    const r = await signoff('--yes');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /The change record was written \(.*#issuecomment-\d+\) but the "signoff" status was not: .* sign off again to finish/);
    assert.equal(repoState().statuses.length, 0);
    const again = await signoff('--yes');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(repoState().comments.length, 1);
    assert.equal(repoState().statuses.length, 1);
  });

  it('the emergency path: flagged record and status, and one follow-up issue for the review, for the policy owner', async () => {
    github.user('lead');
    repoState().collaborators.set('lead', 'maintain');
    const r = await signoff('--emergency', '--reason', 'Checkout is down for every customer', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [status] = repoState().statuses;
    assert.match(status.description ?? '', /^EMERGENCY · Significant · signed off by @dev · [0-9a-f]{8}$/);
    const issues = [...repoState().issues.values()];
    assert.equal(issues.length, 1);
    assert.deepEqual(issues[0].assignees, ['lead']);
    assert.deepEqual(issues[0].labels, ['change-control']);
    assert.match(issues[0].body ?? '', /due by/);
    assert.match(r.stdout, /Post-implementation review: .*issues\/\d+, due by /);
    const again = await signoff('--yes');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(repoState().issues.size, 1, 'the follow-up is found again, never duplicated');
  });

  it('the gate holds an emergency to its follow-up: passes while it is open and not due, fails once it is gone', async () => {
    github.user('lead');
    repoState().collaborators.set('lead', 'maintain');
    github.review(REPO, 7, { user: 'sec', state: 'APPROVED', commitId: head });
    const r = await signoff('--emergency', '--reason', 'Checkout is down for every customer', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const gate = async () => {
      const out = await runCli(repo.root, ['gate', '--pr', '7', '--repo', REPO, '--format', 'json'], env);
      return { code: out.code, json: JSON.parse(out.stdout) as { exceptions: string[]; messages: string[] }, stderr: out.stderr };
    };
    const open = await gate();
    assert.ok(!open.json.exceptions.includes('emergency-review-missing'), open.json.messages.join(' | '));
    // Someone deletes the follow-up issue: the review it holds is gone with it.
    repoState().issues.clear();
    const gone = await gate();
    assert.equal(gone.code, 1);
    assert.ok(gone.json.exceptions.includes('emergency-review-missing'), gone.json.messages.join(' | '));
    assert.ok(gone.json.messages.some((m) => /has no post-implementation review issue \(labelled change-control\)/.test(m)));
  });

  it('--stack signs off bottom first, each against the branch its pull request targets, and stops at the first that cannot be', async () => {
    // Run the bottom branch's tests there first (a stack signs off branches that are not checked out: their commands are not run).
    assert.equal((await runCli(repo.root, ['check', '--run'], {})).code, 0);
    repo.git('checkout', '-q', '-b', 'mfa');
    repo.commitFiles({ 'src/auth/mfa.ts': 'export const mfa = true;\n' }, 'MFA');
    repo.git('push', '-q', '-u', 'origin', 'mfa');
    const top = repo.git('rev-parse', 'HEAD');
    github.push(REPO, top);
    github.pullRequest(REPO, { number: 8, author: 'dev', title: 'MFA', head: { ref: 'mfa', sha: top }, base: { ref: 'feature', sha: head } });
    for (const [field, value] of [['description', 'MFA'], ['rollback-plan', 'Revert']]) assert.equal((await runCli(repo.root, ['record', 'set', field, value], {})).code, 0);

    // The top has no approval yet: the bottom is signed off, the top is not, and it says why.
    let r = await signoff('--stack', '--yes');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /— feature \(#7, onto main\)[\s\S]*Signed off: Significant change, by @dev\.[\s\S]*— mfa \(#8, onto feature\)[\s\S]*Still needs approval from a code owner of src\/auth\/mfa\.ts[\s\S]*The stack stopped at mfa \(#8\)\.\n$/);
    assert.deepEqual(repoState().statuses.map((st) => st.sha), [head]);
    const mfaRecord = parseChangeRecord(repoState().comments[0].body);
    assert.ok(mfaRecord.ok && mfaRecord.record.pullRequest?.number === 7);

    github.review(REPO, 8, { user: 'sec', state: 'APPROVED', commitId: top });
    r = await signoff('--stack', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /The whole stack is signed off \(2 pull requests\)\./);
    assert.deepEqual(repoState().statuses.map((st) => st.sha), [head, top], 'the bottom’s sign-off is not written twice');
    const topRecord = repoState().comments.map((c) => parseChangeRecord(c.body)).find((p) => p.ok && p.record.pullRequest?.number === 8);
    assert.ok(topRecord?.ok);
    assert.equal(topRecord.record.base.ref, 'origin/feature', 'the top is measured against the branch below it');
    assert.deepEqual(topRecord.record.reasons.map((x) => x.path), ['src/auth/mfa.ts']);
  });

  it('an owner GitHub will not assign still gets the follow-up issue, mentioned instead', async () => {
    const r = await signoff('--emergency', '--reason', 'Checkout is down for every customer', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [issue] = [...repoState().issues.values()];
    assert.deepEqual(issue.assignees, []);
    assert.match(issue.body ?? '', /@lead: this review is yours/);
    assert.match(r.stdout, /Note: GitHub would not assign it to @lead .*the issue mentions them instead/);
    github.takeViolations(); // the refused assignee is a 422 GitHub itself gives
  });
});
