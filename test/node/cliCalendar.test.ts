// `change-control calendar`: the signed-off changes of a period from their change records, as an
// iCalendar feed that a real parser (ical.js) reads back, and as markdown.
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { calendarEvents } from '../../src/core/report/calendar';
import { parseChangeRecord } from '../../src/core/signoff/changeRecord';
import { runCliProcess as runCli } from './cliProcess';
import { makeSignoffWorld, REPO, type SignoffWorld } from './signoffWorld';

const POLICY = `version: 1
levels:
  - { id: regular, title: Regular, checklist: [tests] }
  - { id: significant, title: Significant, checklist: [tests, record, signoff] }
checklist:
  tests: { kind: command, title: Tests pass, run: "node -e \\"process.exit(0)\\"" }
  record: { kind: change-request, title: Change request, fields: [description, rollback-plan, deployment-time] }
  signoff: { kind: signoff, title: Formal sign-off recorded }
zones:
  auth: { title: Authentication, level: significant, paths: ["src/auth/**"] }
`;

describe('change-control calendar', function () {
  this.timeout(60_000);
  let world: SignoffWorld;
  beforeEach(async () => {
    world = await makeSignoffWorld(POLICY);
  });
  afterEach(() => world?.dispose());

  const merge = (number: number, at: string) => Object.assign(world.state().pulls.get(number)!, { state: 'closed', merged: true, mergedAt: at, mergedBy: 'dev', updatedAt: at, closedAt: at });

  it('lists each signed-off change merged in the period, at its planned deployment time, as iCalendar', async () => {
    assert.equal((await runCli(world.repo.root, ['record', 'set', 'deployment-time', '2026-11-20T14:00:00Z'])).code, 0);
    const signed = await runCli(world.repo.root, ['signoff', '--repo', REPO, '--yes'], world.env);
    assert.equal(signed.code, 0, signed.stdout + signed.stderr);
    merge(7, '2026-11-19T10:00:00Z');
    // Merged without a record, and merged before the period: neither is in the calendar.
    world.github.pullRequest(REPO, { number: 9, author: 'dev', title: 'Typo', head: { ref: 'typo', sha: 'c'.repeat(40) }, base: { ref: 'main', sha: world.base }, merged: true, mergedAt: '2026-11-21T09:00:00Z' });
    world.state().pulls.get(9)!.updatedAt = '2026-11-21T09:00:00Z';
    world.github.pullRequest(REPO, { number: 3, author: 'dev', title: 'Old', head: { ref: 'old', sha: 'd'.repeat(40) }, base: { ref: 'main', sha: world.base }, merged: true, mergedAt: '2026-10-01T09:00:00Z' });
    world.state().pulls.get(3)!.updatedAt = '2026-10-01T09:00:00Z';

    const r = await runCli(world.repo.root, ['calendar', '--since', '2026-11-01', '--until', '2026-11-30', '--repo', REPO, '--base', 'main'], world.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /1 pull request merged without a change record is not in the calendar/);
    const vcalendar = new ICAL.Component(ICAL.parse(r.stdout));
    const events = vcalendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.equal(events.length, 1);
    assert.equal(events[0].summary, 'Significant: Rate-limit logins (#7)');
    assert.equal(events[0].startDate.toJSDate().toISOString(), '2026-11-20T14:00:00.000Z', 'at the planned deployment time');
    assert.match(events[0].description, /signed off by @dev/);
    assert.match(events[0].description, /Outcome: merged at 2026-11-19T10:00:00Z\./);
    assert.equal(events[0].component.getFirstPropertyValue('url'), `${world.github.url}/acme/shop/pull/7`);

    const md = await runCli(world.repo.root, ['calendar', '--since', '2026-11-01', '--until', '2026-11-30', '--repo', REPO, '--base', 'main', '--format', 'markdown'], world.env);
    assert.match(md.stdout, /\| 2026-11-20 14:00 UTC \(planned\) \| \[Significant: Rate-limit logins \(#7\)\]\(.*\/pull\/7\) \| significant \| @dev \|/);
  });

  it('marks emergencies, and places a change without a planned time when it merged', async () => {
    assert.equal((await runCli(world.repo.root, ['record', 'set', 'deployment-time', 'after the freeze'])).code, 0);
    const signed = await runCli(world.repo.root, ['signoff', '--repo', REPO, '--yes'], world.env);
    assert.equal(signed.code, 0, signed.stdout + signed.stderr);
    const parsed = parseChangeRecord(world.state().comments[0].body);
    assert.ok(parsed.ok);
    const summary = { number: 7, url: 'https://github.com/acme/shop/pull/7', author: 'dev', state: 'closed' as const, draft: false, merged: true, headSha: world.head, headRef: 'feature', headOwner: 'acme', baseRef: 'main', baseSha: world.base, title: 'Rate-limit logins', mergedAt: '2026-11-19T10:00:00Z', mergedBy: null, mergeCommitSha: null, updatedAt: '2026-11-19T10:00:00Z' };
    const emergency = { ...parsed.record, emergency: { reason: 'Checkout is down', declaredAt: '2026-11-19T09:00:00Z', declaredBy: '@dev', reviewDue: '2026-11-21T09:00:00Z' } };
    const [event] = calendarEvents(REPO, [{ pullRequest: summary, record: emergency }]);
    assert.equal(event.summary, '🚨 EMERGENCY · Significant: Rate-limit logins (#7)');
    assert.equal(event.start.toISOString(), '2026-11-19T10:00:00.000Z');
    assert.equal(event.planned, false);
    assert.match(event.description, /Emergency: Checkout is down \(post-implementation review due 2026-11-21T09:00:00Z\)\./);
  });

  it('asks for the period, and refuses one that ends before it starts', async () => {
    let r = await runCli(world.repo.root, ['calendar', '--repo', REPO], world.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give the period with --since DATE/);
    r = await runCli(world.repo.root, ['calendar', '--since', '2026-11-30', '--until', '2026-11-01', '--repo', REPO], world.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--until 2026-11-01 is before --since 2026-11-30/);
  });
});
