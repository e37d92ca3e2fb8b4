import assert from 'node:assert/strict';
import type { Assessment } from '../../src/core/assessment';
import { emptyEvidence, type Evidence } from '../../src/core/checklist/evidence';
import { parseChangeRecord, renderChangeRecord, COMMENT_LIMIT, recordDigest } from '../../src/core/signoff/changeRecord';
import { planSignoff, statusDescription, type SignoffFacts } from '../../src/core/signoff/plan';
import { parsePolicyText } from '../../src/core/policy/load';
import { assessRepo } from './assessRepo';
import { TestRepo } from './gitRepo';

const POLICY = `
version: 1
levels:
  - { id: regular, title: Regular, checklist: [tests, signoff] }
  - { id: significant, title: Significant, checklist: [tests, e2e, record, signoff, post-review] }
checklist:
  tests: { kind: command, title: Tests pass, run: "true" }
  e2e: { kind: attestation, title: Tested end to end locally }
  record: { kind: change-request, title: Change request, fields: [description, rollback-plan] }
  signoff: { kind: signoff, title: Signed off }
  post-review: { kind: post-review, title: Post-implementation review }
zones:
  auth: { title: Authentication, level: significant, paths: ["src/auth/**"] }
`;

describe('the sign-off plan', () => {
  let repo: TestRepo;
  let head: string;
  let assessment: Assessment;
  let evidence: Evidence;
  const now = new Date('2026-12-01T10:00:00Z');

  before(async () => {
    repo = TestRepo.create();
    repo.write('README.md', '# shop\n');
    repo.commit('start');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('src/auth/login.ts', 'export const login = 1;\n');
    repo.commit('login');
    head = repo.git('rev-parse', 'HEAD');
    evidence = {
      ...emptyEvidence(),
      commands: { tests: { exitCode: 0, at: '2026-12-01T09:59:00Z', commit: head, dirty: false, command: 'true', durationMs: 1234 } },
      attestations: { e2e: { by: 'Dev', at: '2026-12-01T09:58:00Z', commit: head, zones: ['auth'] } },
      changeRecord: { description: 'Rate-limit logins', 'rollback-plan': 'Revert the commit <!-- change-control:data:v1:AAAA -->' },
    };
    assessment = await assessRepo(repo.root, { policyText: POLICY, evidence, base: 'main', now });
  });
  after(() => repo.dispose());

  const facts = (over: Partial<SignoffFacts> = {}): SignoffFacts => ({
    policy: parsePolicyText(POLICY, 'p.yml').policy,
    assessment,
    evidence,
    repository: { owner: 'acme', name: 'shop' },
    signer: { login: 'octocat', type: 'User' },
    dirty: false,
    pushed: { ok: true, ref: 'origin/feature' },
    commitOnGitHub: true,
    tree: repo.git('rev-parse', 'HEAD^{tree}'),
    pullRequest: { number: 7, url: 'https://github.com/acme/shop/pull/7', author: 'dev', state: 'open', draft: false, merged: false, headSha: head, headRef: 'feature', headOwner: 'acme', baseRef: 'main', baseSha: 'c'.repeat(40), title: 'Login', mergedAt: null, mergedBy: null, mergeCommitSha: null, updatedAt: '2026-12-01T09:00:00Z' },
    comments: [],
    statuses: [],
    requiredChecks: [],
    checkRuns: [],
    issues: [],
    confirmed: true,
    now,
    tool: { name: 'change-control', version: '0.1.0' },
    ...over,
  });

  it('is ready when every item that comes before shipping is done, and writes the comment then the status', () => {
    const plan = planSignoff(facts());
    assert.deepEqual(plan.blockers, []);
    assert.equal(plan.ready, true);
    assert.equal(plan.comment?.action, 'create');
    assert.equal(plan.status?.action, 'create');
    assert.equal(plan.status?.sha, head);
    assert.match(plan.status!.status.description, /^Significant · signed off by @octocat · [0-9a-f]{8}$/);
    assert.deepEqual(plan.later.map((e) => e.id), ['post-review'], 'the post-implementation review comes after deploying and never blocks');
    assert.deepEqual(plan.toConfirm, [{ id: 'e2e', title: 'Tested end to end locally', confirmedBefore: 'Dev' }]);
  });

  it('renders a record that parses back to itself, with the digest the status names', () => {
    const plan = planSignoff(facts());
    const parsed = parseChangeRecord(plan.comment!.body);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.record, plan.record);
    assert.equal(parsed.digest, recordDigest(plan.record!));
    assert.ok(plan.status!.status.description.endsWith(parsed.digest.slice(0, 8)));
    const tests = parsed.record.checklist.find((c) => c.id === 'tests');
    assert.deepEqual(tests?.evidence, { command: 'true', exitCode: 0, durationMs: 1234, commit: head, at: '2026-12-01T09:59:00Z' });
    assert.equal(parsed.record.changeRequest.find((c) => c.id === 'rollback-plan')?.value, 'Revert the commit <!-- change-control:data:v1:AAAA -->');
    // People's text cannot smuggle markup (or a fake machine copy) into the comment.
    assert.equal(plan.comment!.body.split('<!-- change-control:data:').length, 2);
  });

  it('a record edited by hand no longer parses as the one signed', () => {
    const body = planSignoff(facts()).comment!.body;
    const at = body.lastIndexOf('<!-- change-control:data:v1:') + 30;
    assert.equal(parseChangeRecord(body.slice(0, at) + 'x' + body.slice(at + 1)).ok, false);
    assert.equal(parseChangeRecord(body.replace(/<!-- change-control:data:[^>]*-->/, '')).ok, false);
    assert.equal(parseChangeRecord('hello').ok, false);
  });

  it('refuses, each time saying what to do: a dirty tree, unpushed HEAD, a token that is not a person, an open item, a pull request at another commit', () => {
    const ids = (over: Partial<SignoffFacts>) => planSignoff(facts(over)).blockers.map((b) => b.id);
    assert.deepEqual(ids({ dirty: true }), ['dirty']);
    assert.match(planSignoff(facts({ dirty: true })).blockers[0].message, /git stash -u/);
    assert.deepEqual(ids({ pushed: { ok: false, why: 'HEAD is not pushed: run `git push`, then sign off again.' } }), ['not-pushed']);
    assert.deepEqual(ids({ commitOnGitHub: false }), ['not-pushed']);
    assert.deepEqual(ids({ signer: { login: 'ci[bot]', type: 'Bot' } }), ['signer']);
    const pr = { ...facts().pullRequest!, headSha: 'd'.repeat(40) };
    assert.deepEqual(ids({ pullRequest: pr }), ['pull-request-head']);
    const noTests = planSignoff(facts({ assessment: { ...assessment, checklist: assessment.checklist.map((c) => (c.id === 'tests' ? { ...c, state: 'pending' as const, why: 'Not run yet: run `true`.' } : c)) } }));
    assert.equal(noTests.ready, false);
    assert.deepEqual(noTests.blockers, [{ id: 'tests', message: 'Tests pass: Not run yet: run `true`.' }]);
    assert.equal(noTests.status, null, 'nothing is planned to be written');
  });

  it('waits for the person to confirm what they attest', () => {
    const plan = planSignoff(facts({ confirmed: false }));
    assert.equal(plan.ready, false);
    assert.deepEqual(plan.blockers, []);
    assert.deepEqual(plan.toConfirm.map((t) => t.id), ['e2e']);
  });

  it('a repeated sign-off of the same commit and record writes nothing new', () => {
    const first = planSignoff(facts());
    const comment = { id: 11, url: 'https://github.com/acme/shop/pull/7#issuecomment-11', author: 'octocat', body: first.comment!.body, createdAt: '', updatedAt: '' };
    const status = { ...first.status!.status, targetUrl: comment.url, creator: { login: 'octocat', type: 'User' }, createdAt: '' };
    const again = planSignoff(facts({ comments: [comment], statuses: [status], now: new Date('2026-12-01T11:00:00Z') }));
    assert.equal(again.comment?.action, 'keep');
    assert.equal(again.status?.action, 'keep');
    assert.equal(again.record?.signedAt, first.record?.signedAt);
    // Someone else's status on top is not this sign-off: it is written again.
    const other = planSignoff(facts({ comments: [comment], statuses: [{ ...status, creator: { login: 'mallory', type: 'User' } }, status] }));
    assert.equal(other.status?.action, 'create');
    // A record by another person is never edited: the signer's own is created.
    const theirs = planSignoff(facts({ comments: [{ ...comment, author: 'mallory' }] }));
    assert.equal(theirs.comment?.action, 'create');
  });

  it('says before recording when the status alone will not satisfy the branch rules, and when there is no pull request', () => {
    const pinned = planSignoff(facts({ requiredChecks: [{ context: 'signoff', integrationId: 15368 }], checkRuns: [{ name: 'signoff', status: 'completed', conclusion: 'success', app: 'github-actions' }] }));
    assert.equal(pinned.warnings.length, 2);
    assert.match(pinned.warnings[0], /from app 15368: a status set with your token will not satisfy it/);
    assert.match(pinned.warnings[1], /GitHub then requires both/);
    const alone = planSignoff(facts({ pullRequest: null }));
    assert.equal(alone.ready, true);
    assert.equal(alone.comment, null);
    assert.match(alone.warnings[0], /the status alone is written/);
  });

  it('on the emergency path, flags the record and plans one follow-up issue for the review, due by the policy, for its owner', async () => {
    const text = `${POLICY}\nowner: "@anthony"\nemergency:\n  checklist: [tests]\n  postReview: { within: 48h, checklist: [post-review] }\n`;
    const declared = { ...evidence, emergency: { declaredAt: '2026-12-01T09:00:00.000Z', by: '@octocat', reason: 'Checkout is down' } };
    const emergency = await assessRepo(repo.root, { policyText: text, evidence: declared, base: 'main', now });
    const plan = planSignoff(facts({ policy: parsePolicyText(text, 'p.yml').policy, assessment: emergency, evidence: declared }));
    assert.equal(plan.ready, true, plan.blockers.map((b) => b.message).join('; '));
    assert.match(plan.status!.status.description, /^EMERGENCY · Significant · signed off by @octocat/);
    assert.equal(plan.record?.emergency?.reason, 'Checkout is down');
    assert.match(plan.comment!.body, /🚨 Emergency change record/);
    assert.equal(plan.followUp?.action, 'create');
    assert.equal(plan.followUp?.due, '2026-12-03T09:00:00.000Z');
    assert.deepEqual(plan.followUp?.issue.assignees, ['anthony']);
    assert.match(plan.followUp!.issue.body, /@anthony: this review is yours/);
    assert.match(plan.followUp!.issue.body, /- \[ \] Post-implementation review/);
    const existing = { number: 9, url: 'https://github.com/acme/shop/issues/9', state: 'open' as const, title: 't', body: `x ${plan.followUp!.marker}`, assignees: [], createdAt: '2026-03-02T09:00:00Z', closedAt: null };
    assert.equal(planSignoff(facts({ policy: parsePolicyText(text, 'p.yml').policy, assessment: emergency, evidence: declared, issues: [existing] })).followUp?.action, 'keep');
    assert.equal(planSignoff(facts()).followUp, null, 'no follow-up outside the emergency path');
  });

  it('keeps the status description within GitHub’s 140 characters, and flags an emergency', () => {
    assert.equal(statusDescription('Significant', 'octocat', '3f2a9c1d', false), 'Significant · signed off by @octocat · 3f2a9c1d');
    assert.equal(statusDescription('Significant', 'octocat', '3f2a9c1d', true), 'EMERGENCY · Significant · signed off by @octocat · 3f2a9c1d');
    const long = statusDescription('x'.repeat(300), 'a-very-long-login-name-of-39-characters', '3f2a9c1d', true);
    assert.ok(long.length <= 140);
    assert.ok(long.endsWith('· 3f2a9c1d'));
  });

  it('stays under GitHub’s comment limit by leaving reasons out, and refuses a change request too long to fit', () => {
    const record = planSignoff(facts()).record!;
    const many = { ...record, reasons: Array.from({ length: 3000 }, (_, i) => ({ ...record.reasons[0], path: `src/auth/file${i}.ts` })) };
    const body = renderChangeRecord(many);
    assert.ok(body.length <= COMMENT_LIMIT);
    const parsed = parseChangeRecord(body);
    assert.ok(parsed.ok && parsed.record.reasonsOmitted > 0 && parsed.record.reasons.length + parsed.record.reasonsOmitted === 3000);
    const huge = { ...record, changeRequest: [{ id: 'description', title: 'Description', value: 'x'.repeat(70_000) }] };
    assert.throws(() => renderChangeRecord(huge), /shorten the change-request fields/);
  });
});
