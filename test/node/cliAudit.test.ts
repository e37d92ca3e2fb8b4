// `change-control audit` over a realistic history: 240 pull requests merged in three months by
// merge commit, squash and rebase, four merged before the period, direct pushes among them, and the
// GitHub double holding every review, status, change record and follow-up. Each verdict is
// asserted on the pull requests made to have it; the formats agree with each other; the sample is
// reproducible; and the audit fails closed when it cannot see the whole population.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXCEPTION_IDS } from '../../src/core/audit/exceptions';
import { faults } from '../support/githubDouble';
import { makeAuditWorld, EXPECTED, AUDIT_POLICY, type AuditWorld } from './auditWorld';
import { runCliProcess } from './cliProcess';
import { tempDir } from './gitRepo';

interface JsonPr {
  number: number;
  title: string;
  author: string;
  mergedAt: string;
  mergedBy: string | null;
  mergeMethod: string;
  headSha: string;
  level: { id: string };
  zones: string[];
  approvals: { reviewer: string; commit: string; onFinalHead: boolean; byAuthor: boolean; canWrite: boolean | null }[];
  signoff: { by: string; verified: boolean } | null;
  emergency: { review: string; followUp: unknown } | null;
  compliant: boolean;
  verdict: string;
  exceptions: string[];
}

interface JsonReport {
  format: string;
  summary: { pullRequests: number; directPushes: number; byVerdict: Record<string, number>; byException: Record<string, number>; byLevel: { id: string; count: number }[]; exceptionRate: number; weeks: unknown[] };
  population: { pullRequests: string; directPushes: string; listed: number; outsidePeriod: number };
  sample: { size: number; of: number; seed: number; generator: string } | null;
  configuration: { policy: { path: string; text: string }; codeOwners: { text: string } | null; branch: { rules: { type: string }[]; protection: { state: string } } };
  pullRequests: JsonPr[];
  directPushes: { sha: string; exceptions: string[] }[];
}

describe('change-control audit, over three months of merged pull requests', function () {
  this.timeout(240_000);
  let world: AuditWorld;
  let full: JsonReport;
  const audit = (...args: string[]) => runCliProcess(world.repo.root, ['audit', '--repo', 'acme/shop', ...args], world.env);
  const json = async (...args: string[]): Promise<JsonReport> => {
    const r = await audit('--format', 'json', ...args);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as JsonReport;
  };

  before(async () => {
    world = await makeAuditWorld(240);
    full = await json('--since', world.since, '--until', world.until);
  });
  after(() => world?.dispose());

  it('gives every pull request merged in the period the verdict it was made to have', () => {
    const inPeriod = world.pulls.filter((p) => p.inPeriod);
    assert.equal(full.pullRequests.length, inPeriod.length);
    const got = new Map(full.pullRequests.map((p) => [p.number, p]));
    for (const p of inPeriod) {
      const entry = got.get(p.number);
      assert.ok(entry, `#${p.number} is in the report`);
      assert.deepEqual(entry.exceptions, EXPECTED[p.scenario], `#${p.number} (${p.scenario})`);
      assert.equal(entry.compliant, EXPECTED[p.scenario].length === 0, `#${p.number} compliant`);
      assert.equal(entry.mergeMethod, p.method, `#${p.number} merged by ${p.method}`);
      assert.equal(entry.headSha, p.head);
      assert.equal(entry.level.id, p.scenario === 'compliant-regular' ? 'regular' : 'significant', `#${p.number} level`);
    }
    for (const p of world.pulls.filter((x) => !x.inPeriod)) assert.ok(!got.has(p.number), `#${p.number}, merged before the period, is left out`);
    // Every exception id appears, so none of them is left untested by this history.
    for (const id of EXCEPTION_IDS) assert.ok(full.summary.byException[id] > 0, `${id} appears`);
  });

  it('names who approved, on which commit, and whether it was the author; who signed off, verified; and the emergency review', () => {
    const of = (scenario: string) => full.pullRequests.find((p) => world.pulls.find((w) => w.number === p.number)!.scenario === scenario)!;
    const ok = of('compliant-significant');
    assert.deepEqual(ok.approvals.map((a) => [a.reviewer, a.onFinalHead, a.byAuthor]), [['sec', true, false]]);
    assert.equal(ok.signoff?.verified, true);
    assert.equal(ok.mergedBy, 'lead');
    assert.deepEqual(ok.zones, ['auth']);
    const selves = full.pullRequests.filter((p) => world.pulls.find((w) => w.number === p.number)!.scenario === 'self-approved-only');
    assert.deepEqual(new Set(selves.map((p) => JSON.stringify(p.approvals.map((a) => [a.reviewer === p.author ? 'author' : a.reviewer, a.byAuthor, a.canWrite])))), new Set([JSON.stringify([['author', true, null]]), JSON.stringify([['intern', false, false]])]), 'by the author, and by a reviewer without write access');
    const stale = of('stale-approval');
    assert.equal(stale.approvals[0].onFinalHead, false);
    assert.equal(of('compliant-emergency').emergency?.review, 'done');
    assert.equal(of('emergency-review-late').emergency?.review, 'late');
    assert.equal(of('emergency-review-missing').emergency?.followUp, null);
    const unverifiable = of('signoff-unverifiable');
    assert.equal(unverifiable.verdict, 'signed-off-not-verifiable');
    assert.equal(unverifiable.signoff?.verified, false);
    assert.equal(of('no-signoff').signoff, null);
  });

  it('lists each commit pushed to main without a pull request as a direct-push exception', () => {
    assert.ok(world.directPushes.length >= 3);
    assert.deepEqual(full.directPushes.map((d) => d.sha).sort(), [...world.directPushes].sort());
    for (const d of full.directPushes) assert.deepEqual(d.exceptions, ['direct-push']);
  });

  it('sums up what it lists, says how its population was found, and snapshots the configuration', () => {
    const s = full.summary;
    assert.equal(s.pullRequests, full.pullRequests.length);
    assert.equal(s.directPushes, full.directPushes.length);
    assert.equal(s.byVerdict.compliant, full.pullRequests.filter((p) => p.compliant).length);
    assert.equal(s.byVerdict['signed-off-not-verifiable'], full.pullRequests.filter((p) => p.verdict === 'signed-off-not-verifiable').length);
    for (const id of EXCEPTION_IDS) assert.equal(s.byException[id], [...full.pullRequests, ...full.directPushes].filter((p) => p.exceptions.includes(id)).length, id);
    const flagged = full.pullRequests.filter((p) => !p.compliant).length + full.directPushes.length;
    assert.equal(s.exceptionRate, flagged / (full.pullRequests.length + full.directPushes.length));
    assert.deepEqual(s.byLevel.map((l) => [l.id, l.count]), [['regular', full.pullRequests.filter((p) => p.level.id === 'regular').length], ['significant', full.pullRequests.filter((p) => p.level.id === 'significant').length]]);
    assert.ok(s.weeks.length >= 12, 'about thirteen weeks');
    assert.match(full.population.pullRequests, /closed pull requests into main, newest update first/);
    assert.match(full.population.pullRequests, /\d+ listed, 0 merged outside the period left out/);
    assert.match(full.population.directPushes, /first-parent history of main/);
    assert.equal(full.configuration.policy.text, AUDIT_POLICY);
    assert.match(full.configuration.codeOwners?.text ?? '', /@acme\/security/);
    assert.equal(full.configuration.branch.protection.state, 'protected');
    assert.deepEqual(full.configuration.branch.rules.map((r) => r.type), ['required_status_checks', 'pull_request']);
    assert.equal(full.sample, null);
  });

  it('draws the same sample from the same seed, another from another, and keeps the summary of the whole period', async () => {
    const period = ['--since', '2026-11-01', '--until', world.until];
    const whole = await json(...period);
    const a = await json(...period, '--sample', '25', '--seed', '20261201');
    const b = await json(...period, '--sample', '25', '--seed', '20261201');
    const c = await json(...period, '--sample', '25', '--seed', '7');
    const picked = (r: JsonReport) => [...r.pullRequests.map((p) => `#${p.number}`), ...r.directPushes.map((d) => d.sha)];
    assert.equal(picked(a).length, 25);
    assert.deepEqual(picked(b), picked(a));
    assert.notDeepEqual(picked(c), picked(a));
    assert.deepEqual(a.summary, whole.summary);
    assert.deepEqual({ ...a.sample, generator: undefined }, { size: 25, of: whole.pullRequests.length + whole.directPushes.length, seed: 20261201, generator: undefined });
    // Pull requests merged after the period's end are listed by GitHub (updated since its start) and left out.
    const october = await json('--since', '2026-10-01', '--until', '2026-10-31');
    assert.match(october.population.pullRequests, /\d+ listed, [1-9]\d* merged outside the period left out/);
    assert.ok(october.pullRequests.every((p) => p.mergedAt.startsWith('2026-10')));
    assert.match(a.sample!.generator, /mulberry32/);
  });

  it('writes CSV and markdown that say what the JSON says', async () => {
    const since = '2026-10-01';
    const until = '2026-10-31';
    const part = await json('--since', since, '--until', until);
    const dir = tempDir('cc-audit-out-');
    const csv = await audit('--since', since, '--until', until, '--format', 'csv', '--out', path.join(dir, 'audit.csv'));
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stderr, /written to .*audit\.csv/);
    const rows = readFileSync(path.join(dir, 'audit.csv'), 'utf8').trimEnd().split('\r\n').map((l) => l.split(','));
    const header = rows[0];
    assert.equal(rows.length - 1, part.pullRequests.length + part.directPushes.length);
    const col = (name: string) => header.indexOf(name);
    const byNumber = new Map(rows.slice(1).filter((r) => r[0] === 'pull-request').map((r) => [Number(r[col('number')]), r]));
    for (const p of part.pullRequests) {
      assert.equal(byNumber.get(p.number)?.[col('exceptions')], p.exceptions.join(' '), `#${p.number}`);
      assert.equal(byNumber.get(p.number)?.[col('compliant')], String(p.compliant));
    }
    const md = await audit('--since', since, '--until', until);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^# Change-control audit: acme\/shop \(main\)/);
    assert.match(md.stdout, new RegExp(`${part.pullRequests.length + part.directPushes.length} changes: ${part.pullRequests.length} pull requests and ${part.directPushes.length} direct pushes`));
    for (const p of part.pullRequests) assert.ok(md.stdout.includes(`[#${p.number}](`), `#${p.number} in the markdown`);
    assert.match(md.stdout, /## Exceptions in detail\n/);
    assert.match(md.stdout, /\| `record-edited` \| \d+ \| The change record was edited/);
    assert.match(md.stdout, /\*\*Policy\*\* \(`\.github\/change-control\.yml`\):/);
  });

  it('waits out a spent rate limit, saying so, and goes on', async () => {
    world.github.fail(faults.primaryRateLimit(Math.floor(Date.now() / 1000) + 1), { operation: 'pulls/list-reviews' });
    const r = await audit('--since', '2026-11-20', '--until', world.until, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rate limit for this token is spent: waiting until it resets at .* then going on/);
    assert.ok((JSON.parse(r.stdout) as JsonReport).pullRequests.length > 0);
  });

  it('fails closed, leaving no half-written report, when GitHub stops answering', async () => {
    const dir = tempDir('cc-audit-fail-');
    world.github.fail(faults.serverError(502), { operation: 'pulls/get', times: 20 });
    const r = await audit('--since', '2026-11-01', '--until', world.until, '--format', 'html', '--out', path.join(dir, 'audit.html'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^change-control: .*read pull request #\d+ of acme\/shop/m);
    assert.ok(!r.stderr.includes('    at '), 'no stack trace');
    assert.deepEqual(readdirSync(dir), [], 'no report and no partial file');
    world.github.takeViolations();
  });

  it('refuses a shallow clone: it could not see every change of the period', async () => {
    const shallow = path.join(tempDir('cc-audit-shallow-'), 'shop');
    const origin = world.repo.git('remote', 'get-url', 'origin');
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, shallow]);
    const r = await runCliProcess(shallow, ['audit', '--repo', 'acme/shop', '--since', world.since], world.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /shallow clone: the audit needs the base branch's whole history .*\(git fetch --unshallow, or fetch-depth: 0/);
    assert.ok(!existsSync(path.join(shallow, 'audit.md')));
  });

  it('says what is wrong with its options in one line', async () => {
    const cases: [string[], RegExp][] = [
      [['--since', world.since, '--sample', '5'], /--sample needs --seed S/],
      [['--since', world.since, '--seed', '5'], /--seed is for a sample: give --sample N too/],
      [['--since', world.since, '--sample', 'x', '--seed', '1'], /--sample x: expected a whole number/],
      [['--since', world.since, '--format', 'pdf'], /--format pdf: expected markdown, csv, json, html/],
      [[], /audit: give the period with --since DATE/],
      [['--since', 'yesterday'], /--since yesterday: expected a date/],
    ];
    for (const [args, message] of cases) {
      const r = await audit(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
