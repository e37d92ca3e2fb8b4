// Notifications in the engine: the targets a policy names (and the URLs it must not hold), what
// each kind of target is sent, who gets an event, and how deliveries complete checklist items.
import assert from 'node:assert/strict';
import type { Assessment, ChecklistEntry } from '../../src/core/assessment';
import { evaluateChecklist } from '../../src/core/checklist/evaluate';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { recordDeliveries } from '../../src/core/checklist/evidenceEdits';
import { ChangeControlError } from '../../src/core/errors';
import {
  eventFromAssessment,
  notificationsFor,
  payloadFor,
  plainText,
  slackEscape,
  slackPayload,
  webhookPayload,
  type NotificationEvent,
} from '../../src/core/notify/message';
import { loadPreset, parsePolicyText } from '../../src/core/policy/load';
import { policyJsonSchema } from '../../src/core/policy/schema';

const POLICY = `
version: 1
levels:
  - { id: low, title: Low, checklist: [announce, both] }
checklist:
  announce: { kind: notification, title: Announce the deploy, targets: [deployments] }
  both: { kind: notification, title: Tell everyone, targets: [deployments, audit] }
notify:
  deployments: { title: "#deployments", kind: slack, secret: DEPLOYMENTS_WEBHOOK, on: [before-deploy, after-deploy] }
  audit: { kind: webhook, secret: AUDIT_WEBHOOK, on: [signoff, after-deploy] }
  pager: { kind: webhook, secret: PAGER_WEBHOOK, on: [emergency] }
`;
const { policy } = parsePolicyText(POLICY, 'p.yml');

const EVENT: NotificationEvent = {
  event: 'signoff',
  repository: 'acme/shop',
  branch: 'feature/checkout',
  head: 'abcdef1234567890abcdef1234567890abcdef12',
  level: { id: 'significant', title: 'Significant' },
  reasons: ['Billing and payments', 'renames a column'],
  signer: 'Dana <dana@example.com>',
  emergencyReason: null,
  pullRequestUrl: 'https://github.com/acme/shop/pull/42',
  recordUrl: 'https://github.com/acme/shop/pull/42#issuecomment-7',
  at: '2026-11-21T10:00:00.000Z',
};

function problems(text: string) {
  try {
    parsePolicyText(text, 'policy.yml');
  } catch (err) {
    assert.ok(err instanceof ChangeControlError);
    return err.problems;
  }
  return assert.fail('expected the policy to be refused');
}

const target = (body: string) => `version: 1\nlevels: [{ id: low, title: Low }]\nnotify:\n  deployments:\n${body}`;

describe('notify targets in the policy', () => {
  it('name their kind and the secret that holds the URL, and the JSON Schema says exactly that', () => {
    assert.deepEqual(policy.notify.deployments, { title: '#deployments', kind: 'slack', secret: 'DEPLOYMENTS_WEBHOOK', on: ['before-deploy', 'after-deploy'] });
    const schema = policyJsonSchema() as { properties: { notify: { additionalProperties: { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean } } } };
    const t = schema.properties.notify.additionalProperties;
    assert.deepEqual(Object.keys(t.properties).sort(), ['kind', 'on', 'secret', 'title']);
    assert.deepEqual(t.required.sort(), ['kind', 'on', 'secret']);
    assert.equal(t.additionalProperties, false);
  });

  it('the ITIL preset announces deploys in #deployments through a secret', () => {
    assert.deepEqual(loadPreset('itil').policy.notify, {
      deployments: { title: '#deployments', kind: 'slack', secret: 'DEPLOYMENTS_WEBHOOK', on: ['before-deploy', 'after-deploy'] },
    });
    // Quoted in the preset: in YAML an unquoted ` #` starts a comment.
    assert.equal(loadPreset('itil').policy.checklist['notify-deploy'].title, 'Announce the deployment before and after in #deployments');
  });

  it('refuse the old `to:` with a URL: one problem, at the key, saying to move it to a secret, never repeating the URL', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/XYZSECRET';
    const found = problems(target(`    to: "webhook:${url}"\n    on: [before-deploy]\n`));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].key, 'notify.deployments.to');
    assert.equal(found[0].line, 5);
    assert.match(found[0].message, /a webhook URL is a secret and never goes in the policy file/);
    assert.match(found[0].message, /`kind: slack`.*`secret: DEPLOYMENTS_WEBHOOK`.*environment variable DEPLOYMENTS_WEBHOOK/);
    assert.doesNotMatch(JSON.stringify(found), /XYZSECRET|hooks\.slack\.com/);
  });

  it('refuse the old `to:` without a URL too, saying what replaces it', () => {
    const found = problems(target('    to: "slack:#deployments"\n    on: [before-deploy]\n'));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0].message, /^"to" is no longer read: .*secret: DEPLOYMENTS_WEBHOOK/);
  });

  it('refuse a URL in any field, keeping the secret name the target already has', () => {
    const asSecret = problems(target('    kind: webhook\n    secret: "https://example.com/hooks/abc123"\n    on: [signoff]\n'));
    assert.equal(asSecret[0].key, 'notify.deployments.secret');
    assert.match(asSecret[0].message, /a webhook URL is a secret/);
    assert.doesNotMatch(JSON.stringify(asSecret), /abc123/);
    const asOtherKey = problems(target('    kind: slack\n    secret: DEPLOYS\n    url: "https://hooks.slack.com/services/T/B/abc123"\n    on: [signoff]\n'));
    assert.equal(asOtherKey.length, 1, JSON.stringify(asOtherKey));
    assert.match(asOtherKey[0].message, /`secret: DEPLOYS`/);
    const asTitle = problems(target('    title: "https://hooks.slack.com/services/T/B/abc123"\n    kind: slack\n    secret: DEPLOYS\n    on: [signoff]\n'));
    assert.equal(asTitle[0].key, 'notify.deployments.title');
    assert.match(asTitle[0].message, /a webhook URL is a secret/);
    assert.doesNotMatch(JSON.stringify(asTitle), /abc123/);
  });

  it('refuse a secret that is not an environment variable name, an unknown kind and an unknown event', () => {
    const found = problems(target('    kind: teams\n    secret: deployments-hook\n    on: [freeze-override]\n'));
    const byKey = Object.fromEntries(found.map((p) => [p.key, p.message]));
    assert.match(byKey['notify.deployments.kind'], /expected one of slack, webhook, found "teams"/);
    assert.match(byKey['notify.deployments.secret'], /the name of the environment variable that holds the URL, such as "DEPLOYMENTS_WEBHOOK"/);
    assert.match(byKey['notify.deployments.on.0'], /expected one of signoff, emergency, before-deploy, after-deploy, found "freeze-override"/);
  });
});

describe('who is told of an event', () => {
  it('the targets whose `on` lists it, in the policy order', () => {
    assert.deepEqual(notificationsFor(policy, 'after-deploy').map((t) => t.id), ['deployments', 'audit']);
    assert.deepEqual(notificationsFor(policy, 'before-deploy').map((t) => t.id), ['deployments']);
    assert.deepEqual(notificationsFor(policy, 'emergency').map((t) => t.id), ['pager']);
    assert.deepEqual(notificationsFor(parsePolicyText('version: 1\nlevels: [{ id: a, title: A }]\n', 'p.yml').policy, 'signoff'), []);
  });
});

describe('what a Slack target is sent', () => {
  it('text and blocks in mrkdwn: what happened, where, the level and why, the links', () => {
    const p = slackPayload(EVENT);
    assert.equal(p.text, 'Signed off: acme/shop feature/checkout at abcdef1 by Dana &lt;dana@example.com&gt; — Significant (Billing and payments, renames a column).');
    assert.deepEqual(p.blocks[0], {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          '*Signed off*: acme/shop `feature/checkout` at `abcdef1` by Dana &lt;dana@example.com&gt;\n' +
          'Level: *Significant* (Billing and payments, renames a column)\n' +
          '<https://github.com/acme/shop/pull/42|Pull request> · <https://github.com/acme/shop/pull/42#issuecomment-7|Sign-off record>',
      },
    });
    assert.deepEqual(p.blocks[1], { type: 'context', elements: [{ type: 'mrkdwn', text: 'Change Control · <!date^1795255200^{date_short_pretty} at {time}|2026-11-21T10:00:00.000Z>' }] });
    assert.deepEqual(payloadFor('slack', EVENT), p);
  });

  it('escapes &, < and > everywhere, so nothing in a change can mention @channel or make a link', () => {
    const p = slackPayload({ ...EVENT, branch: 'fix/<!channel>', reasons: ['R&D <script>'], emergencyReason: 'Tell <@U123> & <!here>', pullRequestUrl: 'https://x.test/a?b=1&c=<2>|3' });
    const all = JSON.stringify(p);
    for (const raw of ['<!channel>', '<!here>', '<@U123>', '<script>', 'R&D']) assert.ok(!all.includes(raw), raw);
    assert.match(p.blocks[0].type === 'section' ? p.blocks[0].text.text : '', /`fix\/&lt;!channel&gt;`[\s\S]*R&amp;D &lt;script&gt;[\s\S]*Emergency: Tell &lt;@U123&gt; &amp; &lt;!here&gt;[\s\S]*<https:\/\/x\.test\/a\?b=1&amp;c=%3C2%3E%7C3\|Pull request>/);
    assert.equal(slackEscape('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
  });

  it('names a few reasons and counts the rest; links only http(s) URLs', () => {
    const reasons = Array.from({ length: 13 }, (_, i) => `zone ${i}`);
    const p = slackPayload({ ...EVENT, event: 'before-deploy', reasons, pullRequestUrl: 'javascript:alert(1)', recordUrl: null });
    const text = p.blocks[0].type === 'section' ? p.blocks[0].text.text : '';
    assert.match(text, /^\*Deploying\*: acme\/shop `feature\/checkout` at `abcdef1`\n/);
    assert.doesNotMatch(text, / by Dana/, 'a deploy names no signer');
    assert.match(text, /zone 9 and 3 more\)/);
    assert.doesNotMatch(text, /javascript|zone 10/);
  });
});

describe('what a generic webhook is sent', () => {
  it('a versioned document with the documented fields', () => {
    assert.deepEqual(webhookPayload({ ...EVENT, event: 'after-deploy', signer: null, emergencyReason: 'Checkout is down', recordUrl: null }), {
      version: 1,
      source: 'change-control',
      event: 'after-deploy',
      phase: 'after',
      text: 'Deployed: acme/shop feature/checkout at abcdef1 — Significant (Billing and payments, renames a column). Emergency: Checkout is down',
      repository: 'acme/shop',
      branch: 'feature/checkout',
      head: 'abcdef1234567890abcdef1234567890abcdef12',
      level: { id: 'significant', title: 'Significant' },
      reasons: ['Billing and payments', 'renames a column'],
      signer: null,
      emergency: { reason: 'Checkout is down' },
      url: 'https://github.com/acme/shop/pull/42',
      pullRequestUrl: 'https://github.com/acme/shop/pull/42',
      recordUrl: null,
      at: '2026-11-21T10:00:00.000Z',
    });
    assert.equal(webhookPayload({ ...EVENT, event: 'before-deploy' }).phase, 'before');
    assert.equal(webhookPayload(EVENT).phase, null);
    assert.equal(webhookPayload(EVENT).url, EVENT.recordUrl, 'the record first, then the pull request');
    assert.deepEqual(payloadFor('webhook', EVENT), webhookPayload(EVENT));
  });

  it('plain text reads without a repository, a branch or a commit', () => {
    assert.equal(plainText({ ...EVENT, event: 'emergency', repository: null, branch: null, head: null, reasons: [] }), 'Emergency declared: a change by Dana <dana@example.com> — Significant.');
  });
});

describe('the event of an assessment', () => {
  it('carries level, reasons (a content rule by its zone, never the matched text), branch, commit and emergency', () => {
    const assessment = {
      repository: { branch: 'feature', headSha: 'f'.repeat(40) },
      head: null,
      level: { id: 'significant', title: 'Significant', index: 1 },
      zones: [{ id: 'secrets', title: 'Secrets in code', level: 'significant' }],
      reasons: [
        { rule: 'content', id: 'secrets', label: 'Secrets in code (matches `AKIAABCDEFGHIJKLMNOP`)' },
        { rule: 'zone', id: 'auth', label: 'Authentication' },
        { rule: 'zone', id: 'auth', label: 'Authentication' },
      ],
      emergency: { declaredAt: '2026-11-21T09:00:00Z', by: 'Dana', reason: 'Checkout down', reviewDue: null },
    } as unknown as Assessment;
    const e = eventFromAssessment(assessment, { event: 'before-deploy', at: new Date('2026-11-21T10:00:00Z'), repository: 'acme/shop', recordUrl: 'https://ci.example/run/1' });
    assert.deepEqual(e, {
      event: 'before-deploy',
      repository: 'acme/shop',
      branch: 'feature',
      head: 'f'.repeat(40),
      level: { id: 'significant', title: 'Significant' },
      reasons: ['Secrets in code', 'Authentication'],
      signer: null,
      emergencyReason: 'Checkout down',
      pullRequestUrl: null,
      recordUrl: 'https://ci.example/run/1',
      at: '2026-11-21T10:00:00.000Z',
    });
  });
});

describe('deliveries complete notification items', () => {
  const HEAD = 'a'.repeat(40);
  const evaluate = (evidence: Evidence) =>
    Object.fromEntries(
      evaluateChecklist({ policy, levelId: 'low', zones: [], migrationsBeyond: false, evidence, headSha: HEAD, dirty: false, zonesChangedSince: new Map(), freeze: null, now: new Date(), files: [] }).map((e) => [e.id, e]),
    );
  const assessmentOf = (evidence: Evidence) => ({ checklist: Object.values(evaluate(evidence)) as ChecklistEntry[], repository: { headSha: HEAD }, head: null }) as Pick<Assessment, 'checklist' | 'repository' | 'head'>;
  const bot = (iso: string) => ({ by: 'Deploy Bot <ci@example.com>', at: new Date(iso) });

  it('pending until sent, saying who Change Control tells and when, or to confirm by hand', () => {
    const c = evaluate(emptyEvidence());
    assert.equal(c.announce.state, 'pending');
    assert.equal(c.announce.why, 'Not sent yet: Change Control tells #deployments on before-deploy, after-deploy (`change-control notify --phase before|after` in the deploy). Or tell them yourself, then confirm it here.');
    assert.equal(c.announce.attestable, true);
  });

  it('an item is done once every one of its targets was told; each delivery is kept per target and event', () => {
    const first = recordDeliveries(emptyEvidence(), policy, assessmentOf(emptyEvidence()), [{ target: 'deployments', event: 'before-deploy' }], bot('2026-11-21T10:00:00Z'));
    assert.deepEqual(first.deliveries, { deployments: { 'before-deploy': { at: '2026-11-21T10:00:00.000Z', by: 'Deploy Bot <ci@example.com>', commit: HEAD } } });
    assert.deepEqual(first.notifications.announce, { by: 'Deploy Bot <ci@example.com>', at: '2026-11-21T10:00:00.000Z', delivered: [{ target: 'deployments', event: 'before-deploy', at: '2026-11-21T10:00:00.000Z' }] });
    assert.equal(first.notifications.both, undefined, 'audit has not been told yet');
    let c = evaluate(first);
    assert.equal(c.announce.state, 'done');
    assert.match(c.announce.why, /^Sent by Change Control to #deployments \(before-deploy\)/);
    assert.equal(c.both.state, 'pending');

    const second = recordDeliveries(first, policy, assessmentOf(first), [{ target: 'deployments', event: 'after-deploy' }, { target: 'audit', event: 'after-deploy' }], bot('2026-11-21T11:00:00Z'));
    assert.deepEqual(second.notifications.announce, first.notifications.announce, 'a complete item stays as it was');
    assert.deepEqual(second.notifications.both.delivered, [
      { target: 'deployments', event: 'after-deploy', at: '2026-11-21T11:00:00.000Z' },
      { target: 'audit', event: 'after-deploy', at: '2026-11-21T11:00:00.000Z' },
    ]);
    assert.deepEqual(Object.keys(second.deliveries!.deployments), ['before-deploy', 'after-deploy']);
    c = evaluate(second);
    assert.equal(c.both.state, 'done');
  });

  it('a person who told them keeps the confirmation; nothing delivered changes nothing', () => {
    const told = { ...emptyEvidence(), notifications: { announce: { by: 'Dana', at: '2026-11-21T09:00:00.000Z' } } };
    const after = recordDeliveries(told, policy, assessmentOf(told), [{ target: 'deployments', event: 'before-deploy' }], bot('2026-11-21T10:00:00Z'));
    assert.deepEqual(after.notifications.announce, { by: 'Dana', at: '2026-11-21T09:00:00.000Z' });
    assert.equal(evaluate(after).announce.why, 'Confirmed by Dana at 2026-11-21T09:00:00.000Z.');
    assert.equal(recordDeliveries(told, policy, assessmentOf(told), [], bot('2026-11-21T10:00:00Z')), told);
  });
});
