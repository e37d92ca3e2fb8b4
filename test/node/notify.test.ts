// Notifications for real: webhook deliveries to a receiver on 127.0.0.1 (retries, timeouts,
// refusals), `notifyTargets` as sign-off and emergencies call it, and `change-control notify
// --phase` as a deploy pipeline runs it — the built CLI over real repositories. The URL is the
// secret: no output may hold it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NotificationEvent } from '../../src/core/notify/message';
import { parsePolicyText } from '../../src/core/policy/load';
import { notifyTargets } from '../../src/node/notifyTargets';
import { postWebhook, type RetryInfo } from '../../src/node/webhooks';
import { WebhookReceiver } from '../support/webhookReceiver';
import { CLI, runCliProcess as runCli } from './cliProcess';
import { TestRepo } from './gitRepo';


/** The part of a webhook URL that is the secret. */
const TOKEN = 's3cr3t-t0ken';
const HOOK = `/services/T0001/B0001/${TOKEN}`;
const AUDIT_HOOK = `/audit/${TOKEN}-audit`;

const noSleep = (slept: number[] = []) => (ms: number) => {
  slept.push(ms);
  return Promise.resolve();
};


const POLICY = `version: 1
levels:
  - { id: low, title: Low, checklist: [told] }
  - { id: high, title: High, checklist: [told] }
checklist:
  told: { kind: notification, title: Deploy announced, targets: [deployments] }
zones:
  billing: { title: Billing & payments, level: high, paths: ["src/billing/**"] }
notify:
  deployments: { title: "#deployments", kind: slack, secret: DEPLOYMENTS_WEBHOOK, on: [before-deploy, after-deploy] }
  audit: { kind: webhook, secret: AUDIT_WEBHOOK, on: [after-deploy, signoff] }
`;

const EVENT: NotificationEvent = {
  event: 'signoff',
  repository: 'acme/shop',
  branch: 'feature',
  head: 'c'.repeat(40),
  level: { id: 'high', title: 'High' },
  reasons: ['Billing & payments'],
  signer: 'Dana',
  emergencyReason: null,
  pullRequestUrl: null,
  recordUrl: null,
  at: '2026-11-21T10:00:00.000Z',
};

describe('notifications', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());

  describe('a webhook delivery', () => {
    it('POSTs the JSON once and succeeds on 2xx (Slack answers 200 "ok")', async () => {
      const r = await postWebhook(receiver.url(HOOK), { text: 'hi' }, { sleep: noSleep() });
      assert.deepEqual(r, { ok: true, attempts: 1, status: 200 });
      assert.equal(receiver.requests.length, 1);
      const [req] = receiver.requests;
      assert.equal(req.method, 'POST');
      assert.equal(req.path, HOOK);
      assert.match(String(req.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(req.body), { text: 'hi' });
    });

    it('retries 5xx with a doubling backoff, then succeeds', async () => {
      receiver.failTimes(2, 503, 'busy');
      const slept: number[] = [];
      const retries: RetryInfo[] = [];
      const r = await postWebhook(receiver.url(HOOK), {}, { sleep: noSleep(slept), onRetry: (i) => retries.push(i) });
      assert.deepEqual(r, { ok: true, attempts: 3, status: 200 });
      assert.deepEqual(slept, [500, 1000]);
      assert.deepEqual(retries.map((i) => [i.attempt, i.of, i.problem]), [[1, 3, 'HTTP 503 "busy"'], [2, 3, 'HTTP 503 "busy"']]);
      assert.equal(receiver.requests.length, 3);
    });

    it('gives up after the bounded retries, saying why without the URL', async () => {
      receiver.always(500, 'boom');
      const r = await postWebhook(receiver.url(HOOK), {}, { retries: 3, sleep: noSleep() });
      assert.deepEqual(r, { ok: false, attempts: 4, status: 500, problem: 'HTTP 500 "boom"' });
      assert.equal(receiver.requests.length, 4);
    });

    it('does not retry what another attempt cannot fix (4xx), and takes out a URL the answer repeats', async () => {
      receiver.always(404, `no_service for ${receiver.url(HOOK)}`);
      const r = await postWebhook(receiver.url(HOOK), {}, { sleep: noSleep() });
      assert.equal(r.attempts, 1);
      assert.equal(r.status, 404);
      assert.match(r.problem!, /^HTTP 404 "no_service for /);
      assert.ok(!r.problem!.includes(TOKEN) && !r.problem!.includes('127.0.0.1'), r.problem);
    });

    it('waits as long as a 429 asks, within reason', async () => {
      receiver.failTimes(1, 429, 'rate_limited', { 'retry-after': '2' });
      const slept: number[] = [];
      assert.equal((await postWebhook(receiver.url(HOOK), {}, { sleep: noSleep(slept) })).ok, true);
      assert.deepEqual(slept, [2000]);
    });

    it('times out a receiver that never answers, and retries it', async () => {
      receiver.hang();
      const started = Date.now();
      const r = await postWebhook(receiver.url(HOOK), {}, { timeoutMs: 150, retries: 1, sleep: noSleep() });
      assert.deepEqual(r, { ok: false, attempts: 2, status: null, problem: 'no answer within 150 ms' });
      assert.equal(receiver.requests.length, 2);
      assert.ok(Date.now() - started < 5000);
    });

    it('reports a connection that is refused by its code, never by the error text (which names the address)', async () => {
      const url = receiver.url(HOOK);
      await receiver.close();
      const r = await postWebhook(url, {}, { retries: 1, sleep: noSleep() });
      assert.deepEqual(r, { ok: false, attempts: 2, status: null, problem: 'connection refused (ECONNREFUSED)' });
      receiver = await WebhookReceiver.start();
    });

    it('refuses a secret that holds no http(s) URL without sending anything', async () => {
      assert.deepEqual(await postWebhook('ftp://example.com/x', {}), { ok: false, attempts: 0, status: null, problem: 'the secret does not hold an http(s) URL (found a ftp URL)' });
      assert.equal((await postWebhook('not a url', {})).problem, 'the secret does not hold a URL');
    });
  });

  describe('notifyTargets (what sign-off and an emergency call)', () => {
    it('tells each target listening for the event in its format, and reports each one; it never throws', async () => {
      const { policy } = parsePolicyText(
        `${POLICY}  ops: { title: "#ops", kind: slack, secret: OPS_WEBHOOK, on: [signoff] }\n  down: { kind: webhook, secret: DOWN_WEBHOOK, on: [signoff] }\n`,
        'p.yml',
      );
      receiver.failTimes(0);
      const failing = await WebhookReceiver.start();
      failing.always(502, 'bad gateway');
      try {
        const results = await notifyTargets(policy, EVENT, { AUDIT_WEBHOOK: receiver.url(AUDIT_HOOK), DOWN_WEBHOOK: failing.url(HOOK) }, { sleep: noSleep() });
        assert.deepEqual(results, [
          { id: 'audit', kind: 'webhook', secret: 'AUDIT_WEBHOOK', outcome: 'delivered', attempts: 1, status: 200 },
          { id: 'ops', title: '#ops', kind: 'slack', secret: 'OPS_WEBHOOK', outcome: 'not-configured', attempts: 0, status: null, problem: 'OPS_WEBHOOK is not set' },
          { id: 'down', kind: 'webhook', secret: 'DOWN_WEBHOOK', outcome: 'failed', attempts: 3, status: 502, problem: 'HTTP 502 "bad gateway"' },
        ]);
        const [doc] = receiver.json() as Record<string, unknown>[];
        assert.equal(doc.version, 1);
        assert.equal(doc.event, 'signoff');
        assert.equal(doc.signer, 'Dana');
        assert.equal(failing.requests.length, 3);
      } finally {
        await failing.close();
      }
    });
  });

  describe('change-control notify --phase', () => {
    const repos: TestRepo[] = [];
    after(() => repos.forEach((r) => r.dispose()));
    before(() => assert.ok(existsSync(CLI), 'dist/cli.js is built (npm run build)'));

    /** A committed billing change on `feature`, with the policy and an origin on GitHub. */
    const make = (policy = POLICY) => {
      const repo = TestRepo.create();
      repos.push(repo);
      repo.commitFiles({ 'README.md': 'x\n', '.change-control.yml': policy }, 'base');
      repo.git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.commitFiles({ 'src/billing/charge.ts': 'export {}\n' }, 'billing work');
      return repo;
    };
    const checklist = async (repo: TestRepo) => {
      const r = await runCli(repo.root, ['check', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      return Object.fromEntries((JSON.parse(r.stdout).checklist as { id: string; state: string }[]).map((c) => [c.id, c.state]));
    };
    const evidence = (repo: TestRepo) => {
      const file = path.join(repo.root, '.git', 'change-control', 'branch-feature.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>) : undefined;
    };
    const assertNoUrl = (...outputs: string[]) => {
      for (const out of outputs) {
        assert.ok(!out.includes(TOKEN), `the secret leaked:\n${out}`);
        assert.ok(!out.includes(receiver.url('')), `the URL leaked:\n${out}`);
      }
    };

    it('before a deploy, sends Slack JSON to the URL in the target\'s secret, and the checklist item is done', async () => {
      const repo = make();
      const sha = repo.git('rev-parse', 'HEAD');
      assert.equal((await checklist(repo)).told, 'pending');
      const r = await runCli(repo.root, ['notify', '--phase', 'before'], { DEPLOYMENTS_WEBHOOK: receiver.url(HOOK) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        `Told 1 notify target of 1 that the deploy of acme/shop feature at ${sha.slice(0, 7)} (High) starts:\n  ✓ deployments (#deployments), slack via $DEPLOYMENTS_WEBHOOK\nChecklist: "Deploy announced" (told) is done.\n`,
      );
      assert.equal(r.stderr, '');
      assert.equal(receiver.requests.length, 1, 'audit does not listen for before-deploy, and needs no secret');
      assert.equal(receiver.requests[0].path, HOOK);
      const body = JSON.parse(receiver.requests[0].body) as { text: string; blocks: { type: string; text?: { text: string } }[] };
      assert.equal(body.text, `Deploying: acme/shop feature at ${sha.slice(0, 7)} — High (Billing &amp; payments).`);
      assert.equal(body.blocks[0].text?.text, `*Deploying*: acme/shop \`feature\` at \`${sha.slice(0, 7)}\`\nLevel: *High* (Billing &amp; payments)`);
      assert.equal((await checklist(repo)).told, 'done');
      const stored = evidence(repo)!;
      assert.equal((stored.deliveries.deployments as Record<string, { commit: string }>)['before-deploy'].commit, sha);
      assertNoUrl(r.stdout, r.stderr, readFileSync(path.join(repo.root, '.git', 'change-control', 'branch-feature.json'), 'utf8'));
    });

    it('after a deploy, tells the targets on after-deploy, each in its own format, with the link given', async () => {
      const repo = make();
      const r = await runCli(repo.root, ['notify', '--phase', 'after', '--url', 'https://ci.example.com/runs/7'], {
        DEPLOYMENTS_WEBHOOK: receiver.url(HOOK),
        AUDIT_WEBHOOK: receiver.url(AUDIT_HOOK),
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Told 2 notify targets of 2 that the deploy of acme\/shop feature at \w{7} \(High\) has finished:\n {2}✓ deployments .*\n {2}✓ audit, webhook via \$AUDIT_WEBHOOK\n/);
      const byPath = Object.fromEntries(receiver.requests.map((q) => [q.path, JSON.parse(q.body) as Record<string, unknown>]));
      assert.deepEqual(Object.keys(byPath).sort(), [AUDIT_HOOK, HOOK].sort());
      assert.match(JSON.stringify(byPath[HOOK].blocks), /<https:\/\/ci\.example\.com\/runs\/7\|Record>/);
      const doc = byPath[AUDIT_HOOK];
      assert.deepEqual(
        { ...doc, at: 'x' },
        {
          version: 1,
          source: 'change-control',
          event: 'after-deploy',
          phase: 'after',
          text: `Deployed: acme/shop feature at ${repo.git('rev-parse', '--short=7', 'HEAD')} — High (Billing & payments).`,
          repository: 'acme/shop',
          branch: 'feature',
          head: repo.git('rev-parse', 'HEAD'),
          level: { id: 'high', title: 'High' },
          reasons: ['Billing & payments'],
          signer: null,
          emergency: null,
          url: 'https://ci.example.com/runs/7',
          pullRequestUrl: null,
          recordUrl: 'https://ci.example.com/runs/7',
          at: 'x',
        },
      );
    });

    it('retries a target that fails, then succeeds, saying so on stderr by target and secret name', async () => {
      const repo = make();
      receiver.failTimes(2, 503, 'busy');
      const r = await runCli(repo.root, ['notify', '--phase', 'before'], { DEPLOYMENTS_WEBHOOK: receiver.url(HOOK) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(receiver.requests.length, 3);
      assert.equal(
        r.stderr,
        'change-control: deployments ($DEPLOYMENTS_WEBHOOK): HTTP 503 "busy"; retrying in 500 ms (attempt 2 of 3)\n' +
          'change-control: deployments ($DEPLOYMENTS_WEBHOOK): HTTP 503 "busy"; retrying in 1 s (attempt 3 of 3)\n',
      );
      assert.match(r.stdout, /✓ deployments/);
      assertNoUrl(r.stdout, r.stderr);
    });

    it('when the retries are spent: exit 1, the target named and why, the URL nowhere, nothing recorded for it', async () => {
      const repo = make();
      const failing = await WebhookReceiver.start();
      failing.always(500, 'boom');
      try {
        const r = await runCli(repo.root, ['notify', '--phase', 'after'], { DEPLOYMENTS_WEBHOOK: failing.url(HOOK), AUDIT_WEBHOOK: receiver.url(AUDIT_HOOK) });
        assert.equal(r.code, 1, r.stderr);
        assert.equal(failing.requests.length, 3);
        assert.equal(receiver.requests.length, 1, 'the other target is told all the same');
        assert.match(r.stdout, /^Told 1 notify target of 2 .*\n {2}✗ deployments \(#deployments\), slack via \$DEPLOYMENTS_WEBHOOK: HTTP 500 "boom" after 3 attempts\n {2}✓ audit/);
        assert.match(r.stderr, /\nchange-control: could not tell deployments \(\$DEPLOYMENTS_WEBHOOK\): HTTP 500 "boom" after 3 attempts\.\n$/);
        assertNoUrl(r.stdout, r.stderr);
        assert.ok(!`${r.stdout}${r.stderr}`.includes(failing.url('')), 'the failing URL leaked');
        assert.equal((await checklist(repo)).told, 'pending');
        assert.deepEqual(Object.keys(evidence(repo)!.deliveries), ['audit']);
      } finally {
        await failing.close();
      }
    });

    it('a secret that is not set stops it before anything is sent: exit 2, naming the variable', async () => {
      const repo = make();
      const r = await runCli(repo.root, ['notify', '--phase', 'after'], { AUDIT_WEBHOOK: receiver.url(AUDIT_HOOK) });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, "change-control: nothing was sent: set each target's webhook URL in the environment variable its `secret` names (deployments: DEPLOYMENTS_WEBHOOK is not set).\n");
      assert.equal(receiver.requests.length, 0);
      const notUrl = await runCli(repo.root, ['notify', '--phase', 'before'], { DEPLOYMENTS_WEBHOOK: 'hooks.slack.com/services/T/B/x' });
      assert.equal(notUrl.code, 2);
      assert.match(notUrl.stderr, /deployments: DEPLOYMENTS_WEBHOOK does not hold a URL/);
      assert.ok(!notUrl.stderr.includes('services/T/B/x'));
    });

    it('a policy with a webhook URL in it is refused, saying to move it to a secret, without repeating it', async () => {
      const repo = make(POLICY.replace('{ title: "#deployments", kind: slack, secret: DEPLOYMENTS_WEBHOOK,', '{ to: "webhook:https://hooks.slack.com/services/T0/B0/XYZSECRET",'));
      for (const args of [['notify', '--phase', 'before'], ['check']]) {
        const r = await runCli(repo.root, args, { DEPLOYMENTS_WEBHOOK: receiver.url(HOOK) });
        assert.equal(r.code, 2, args.join(' '));
        assert.equal(
          r.stderr,
          'change-control: .change-control.yml:10:18: notify.deployments.to: a webhook URL is a secret and never goes in the policy file: give the target `kind: slack` (or `webhook`) and `secret: DEPLOYMENTS_WEBHOOK`, then set the environment variable DEPLOYMENTS_WEBHOOK to the webhook URL where the CLI runs (the editor keeps it in its secret storage)\n',
        );
      }
      assert.equal(receiver.requests.length, 0);
    });

    it('--dry-run prints what each target would be sent, sends and records nothing, and needs no secret', async () => {
      const repo = make();
      const r = await runCli(repo.root, ['notify', '--phase', 'after', '--dry-run'], { AUDIT_WEBHOOK: receiver.url(AUDIT_HOOK) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Dry run: nothing was sent\. The after-deploy notification of acme\/shop feature at \w{7} \(High\) would go to 2 targets:\n/);
      assert.match(r.stdout, /\ndeployments \(#deployments\), slack via \$DEPLOYMENTS_WEBHOOK \(DEPLOYMENTS_WEBHOOK is not set; a real run would stop\):\n\{\n {2}"text": "Deployed: /);
      assert.match(r.stdout, /\naudit, webhook via \$AUDIT_WEBHOOK \(set\):\n\{\n {2}"version": 1,\n {2}"source": "change-control",\n {2}"event": "after-deploy",/);
      assert.equal(receiver.requests.length, 0);
      assert.equal(evidence(repo), undefined);
      assertNoUrl(r.stdout, r.stderr);
    });

    it('with no target for the phase, says so and succeeds; a wrong phase is a usage error', async () => {
      const repo = make('version: 1\nlevels: [{ id: low, title: Low }]\nnotify:\n  audit: { kind: webhook, secret: AUDIT_WEBHOOK, on: [signoff] }\n');
      const none = await runCli(repo.root, ['notify', '--phase', 'before']);
      assert.equal(none.code, 0, none.stderr);
      assert.equal(none.stdout, 'No notify target of the policy listens for before-deploy: nothing to send. Add `on: [before-deploy]` to a target under `notify` to announce deploys.\n');
      const wrong = await runCli(repo.root, ['notify', '--phase', 'during']);
      assert.equal(wrong.code, 2);
      assert.equal(wrong.stderr, 'change-control: --phase during: expected before or after. Run `change-control notify --help`.\n');
      assert.equal((await runCli(repo.root, ['notify'])).code, 2);
    });
  });
});
