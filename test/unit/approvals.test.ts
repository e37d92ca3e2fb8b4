import assert from 'node:assert/strict';
import { evaluateApproval, approvalTeams } from '../../src/core/checklist/approvals';
import { parseCodeOwners } from '../../src/core/github/codeOwners';
import type { ReviewRecord, TeamMembership } from '../../src/core/github/facts';
import { latestReviews, reviewerState, type PullRequestFacts, type ReviewerFact } from '../../src/core/github/pullRequest';
import { parsePolicyText } from '../../src/core/policy/load';

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

const { policy } = parsePolicyText(
  `
version: 1
levels: [{ id: low, title: Low }]
checklist:
  owners: { kind: approval, title: Code owners, from: { codeOwners: true } }
  named: { kind: approval, title: Leads, count: 2, from: { users: ["@ann", "@bob"], teams: ["@acme/leads"] } }
  earlier: { kind: approval, title: Leads, acceptEarlierCommits: true, from: { users: ["@ann"] } }
  anyone: { kind: approval, title: Anyone }
  zone: { kind: approval, title: Zone owners, from: { zoneOwners: true } }
  emergency:
    kind: approval
    title: Head of Engineering and Incident Commander
    allOf:
      - { title: Head of Engineering, teams: ["@acme/head-of-engineering"] }
      - { title: Incident Commander, teams: ["@acme/incident-commanders"] }
zones:
  auth: { title: Authentication, level: low, paths: ["src/auth/**"], owners: ["@acme/security", "@sam"] }
`,
  'p.yml',
);
const item = (id: string) => {
  const i = policy.checklist[id];
  assert.equal(i.kind, 'approval');
  return i as Extract<typeof i, { kind: 'approval' }>;
};
const CODEOWNERS = parseCodeOwners('.github/CODEOWNERS', '* @core\n/src/auth/ @acme/security\n/src/billing/ @bill\n');

let id = 0;
const review = (reviewer: string, state: ReviewRecord['state'], commit = HEAD, minute = ++id): ReviewRecord => ({
  id: minute,
  reviewer,
  state,
  commit,
  submittedAt: new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString(),
  url: `https://github.com/acme/shop/pull/7#pullrequestreview-${minute}`,
});

/** Facts as a door gathers them: GitHub's reviews reduced by the engine's rule, plus access and teams. */
function facts(reviews: ReviewRecord[], access: Record<string, { canWrite?: boolean; teams?: Record<string, TeamMembership> }> = {}): PullRequestFacts {
  const reviewers: ReviewerFact[] = latestReviews(reviews, 'dev').map((r) => ({
    login: r.reviewer,
    state: reviewerState(r.state),
    commit: r.commit,
    submittedAt: r.submittedAt,
    url: r.url,
    canWrite: access[r.reviewer]?.canWrite ?? true,
    teams: access[r.reviewer]?.teams ?? {},
  }));
  return { number: 7, url: 'https://github.com/acme/shop/pull/7', author: 'dev', headSha: HEAD, headRef: 'feature', baseRef: 'main', reviewers, threads: [] };
}

function evaluate(itemId: string, pullRequest: PullRequestFacts | undefined, files = ['src/auth/login.ts'], zones = ['auth']) {
  return evaluateApproval(item(itemId), {
    policy,
    files: files.map((path) => ({ path, zones: path.startsWith('src/auth/') ? ['auth'] : [] })),
    zones,
    codeOwners: CODEOWNERS,
    pullRequest,
    headSha: HEAD,
  });
}

describe('approvals, verified against the pull request', () => {
  it('a code-owner item is not satisfied by anyone’s approval, only by an owner of each changed file', () => {
    const member = { teams: { 'acme/security': 'member' as const } };
    const stranger = evaluate('owners', facts([review('carol', 'APPROVED')], { carol: { teams: { 'acme/security': 'not-member' } } }));
    assert.equal(stranger.state, 'pending');
    assert.match(stranger.why, /a code owner of src\/auth\/login\.ts \(@acme\/security\)/);
    assert.equal(evaluate('owners', facts([review('sec', 'APPROVED')], { sec: member })).state, 'done');
    // Two files with different owners need both.
    const two = evaluate('owners', facts([review('sec', 'APPROVED')], { sec: member }), ['src/auth/login.ts', 'src/billing/charge.ts']);
    assert.equal(two.state, 'pending');
    assert.match(two.why, /src\/billing\/charge\.ts \(@bill\)/);
    assert.deepEqual(two.approvals.map((a) => a.satisfied), [true, false]);
  });

  it('only the latest opinion of a reviewer counts: approval then changes requested is not an approval; a later comment keeps it', () => {
    const undone = evaluate('named', facts([review('ann', 'APPROVED'), review('bob', 'APPROVED'), review('ann', 'CHANGES_REQUESTED')]));
    assert.equal(undone.state, 'pending');
    assert.match(undone.why, /@ann requested changes/);
    const kept = evaluate('named', facts([review('ann', 'APPROVED'), review('bob', 'APPROVED'), review('ann', 'COMMENTED')]));
    assert.equal(kept.state, 'done');
    const dismissed = evaluate('named', facts([review('ann', 'APPROVED'), review('bob', 'APPROVED'), review('ann', 'DISMISSED')]));
    assert.equal(dismissed.state, 'pending');
  });

  it('the author’s own approval never counts, nor one without write access', () => {
    assert.equal(evaluate('anyone', facts([review('dev', 'APPROVED')])).state, 'pending');
    const readOnly = evaluate('anyone', facts([review('eve', 'APPROVED')], { eve: { canWrite: false } }));
    assert.equal(readOnly.state, 'pending');
    assert.equal(evaluate('anyone', facts([review('eve', 'APPROVED')])).state, 'done');
  });

  it('an approval of an earlier commit counts only when the item says so', () => {
    const old = facts([review('ann', 'APPROVED', OLD)]);
    const strict = evaluate('anyone', old);
    assert.equal(strict.state, 'pending');
    assert.match(strict.why, /@ann approved bbbbbbb, not HEAD \(aaaaaaa\): ask for a new approval/);
    assert.equal(strict.stale, true, 'the gate reports it as a stale approval');
    assert.equal(evaluate('anyone', facts([])).stale, undefined);
    assert.equal(evaluate('earlier', old).state, 'done');
  });

  it('"N of" needs N different people from the users and teams', () => {
    assert.equal(evaluate('named', facts([review('ann', 'APPROVED')])).state, 'pending');
    assert.equal(evaluate('named', facts([review('ann', 'APPROVED'), review('lee', 'APPROVED')], { lee: { teams: { 'acme/leads': 'member' } } })).state, 'done');
  });

  it('"all of" needs every group, each through a different person', () => {
    const both = { teams: { 'acme/head-of-engineering': 'member' as const, 'acme/incident-commanders': 'member' as const } };
    const alone = evaluate('emergency', facts([review('hoe', 'APPROVED')], { hoe: both }));
    assert.equal(alone.state, 'pending', 'one person in both teams is not two approvals');
    assert.match(alone.why, /Incident Commander|Head of Engineering/);
    const ic = { teams: { 'acme/head-of-engineering': 'not-member' as const, 'acme/incident-commanders': 'member' as const } };
    // The matching gives the one who is in both teams to the group only they can fill.
    const done = evaluate('emergency', facts([review('hoe', 'APPROVED'), review('ic', 'APPROVED')], { hoe: both, ic }));
    assert.equal(done.state, 'done');
    assert.deepEqual(done.approvals.map((a) => a.approvedBy), [['@hoe'], ['@ic']]);
  });

  it('a team membership the token cannot see fails closed and says so', () => {
    const r = evaluate('emergency', facts([review('hoe', 'APPROVED'), review('ic', 'APPROVED')], { hoe: { teams: { 'acme/head-of-engineering': 'unknown' } }, ic: { teams: { 'acme/incident-commanders': 'member' } } }));
    assert.equal(r.state, 'failed');
    assert.match(r.why, /Cannot tell whether @hoe in @acme\/head-of-engineering/);
    assert.match(r.why, /read:org/);
  });

  it('zone owners: each zone that fired needs one of its owners', () => {
    assert.equal(evaluate('zone', facts([review('sam', 'APPROVED')])).state, 'done');
    assert.equal(evaluate('zone', facts([review('ann', 'APPROVED')], { ann: { teams: { 'acme/security': 'not-member' } } })).state, 'pending');
    const none = evaluate('zone', facts([]), ['README.md'], []);
    assert.equal(none.state, 'failed');
    assert.match(none.why, /names `owners`/);
  });

  it('without the pull request it says who must approve and waits for sign-off to read GitHub', () => {
    const r = evaluate('owners', undefined);
    assert.equal(r.state, 'pending');
    assert.match(r.why, /read from GitHub at sign-off/);
    assert.deepEqual(approvalTeams(r.approvals), ['acme/security']);
  });

  it('no CODEOWNERS on the base, or no owner for any changed file, fails closed', () => {
    const noFile = evaluateApproval(item('owners'), { policy, files: [{ path: 'x', zones: [] }], zones: [], codeOwners: null, headSha: HEAD });
    assert.equal(noFile.state, 'failed');
    const unowned = evaluateApproval(item('owners'), { policy, files: [{ path: 'x', zones: [] }], zones: [], codeOwners: parseCodeOwners('CODEOWNERS', '/src/ @a\n'), headSha: HEAD });
    assert.equal(unowned.state, 'failed');
    assert.match(unowned.why, /No changed file has an owner in CODEOWNERS/);
  });

  it('a policy may not give both "from" and "allOf"', () => {
    assert.throws(
      () => parsePolicyText('version: 1\nlevels: [{id: a, title: A}]\nchecklist:\n  x: {kind: approval, title: X, from: {users: [a]}, allOf: [{users: [b]}]}\n', 'p.yml'),
      /either "from" \(any of them\) or "allOf"/,
    );
  });
});
