// A repository with a realistic history for the audit: hundreds of pull requests merged by merge
// commit, squash and rebase over three months, a few commits pushed straight to main, and the GitHub
// double holding what happened on each — reviews, threads, sign-off statuses, change records,
// emergencies' follow-ups. Every verdict the audit can give is in it, each on known pull requests.
// The history is written with one `git fast-import` (hundreds of commits in a second), into a bare
// origin that a working clone fetches, pull-request heads included.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ExceptionId } from '../../src/core/audit/exceptions';
import { renderChangeRecord, shortDigest, type ChangeRecord } from '../../src/core/signoff/changeRecord';
import { statusDescription } from '../../src/core/signoff/plan';
import { followUpMarker } from '../../src/core/signoff/followUp';
import { startGitHubDouble, type GitHubDouble } from '../support/githubDouble';
import { TestRepo, tempDir } from './gitRepo';

export const AUDIT_REPO = 'acme/shop';

export const AUDIT_POLICY = `version: 1
owner: "@lead"
signoff: { signers: { users: ["@lead"], teams: ["@acme/release"] } }
levels:
  - { id: regular, title: Regular, checklist: [] }
  - { id: significant, title: Significant, checklist: [reviews-resolved, owner-approval, signoff] }
checklist:
  reviews-resolved: { kind: reviews-resolved, title: All review comments addressed }
  owner-approval: { kind: approval, title: Approval from a code owner, from: { codeOwners: true } }
  signoff: { kind: signoff, title: Formal sign-off recorded }
  post-review: { kind: post-review, title: Post-implementation review held }
zones:
  auth: { title: Authentication, level: significant, paths: ["src/auth/**"] }
emergency:
  title: Emergency change
  checklist: []
  postReview: { within: 48h, checklist: [post-review] }
`;

/** What each pull request of the history is made to be. */
export type Scenario =
  | 'compliant-regular'
  | 'compliant-significant'
  | 'compliant-emergency'
  | 'no-signoff'
  | 'signer-not-allowed'
  | 'record-missing'
  | 'record-edited'
  | 'record-mismatch'
  | 'level-below-recomputed'
  | 'no-owner-approval'
  | 'self-approved-only'
  | 'stale-approval'
  | 'unresolved-threads'
  | 'emergency-review-missing'
  | 'emergency-review-late'
  | 'signoff-unverifiable';

/** The exceptions each scenario must be found with, in the documented order. */
export const EXPECTED: Record<Scenario, ExceptionId[]> = {
  'compliant-regular': [],
  'compliant-significant': [],
  'compliant-emergency': [],
  'no-signoff': ['no-signoff'],
  'signer-not-allowed': ['signer-not-allowed'],
  'record-missing': ['record-missing'],
  'record-edited': ['record-edited'],
  'record-mismatch': ['record-mismatch'],
  'level-below-recomputed': ['level-below-recomputed'],
  'no-owner-approval': ['no-owner-approval'],
  'self-approved-only': ['self-approved-only'],
  'stale-approval': ['stale-approval'],
  'unresolved-threads': ['unresolved-threads'],
  'emergency-review-missing': ['emergency-review-missing'],
  'emergency-review-late': ['emergency-review-late'],
  'signoff-unverifiable': ['signoff-unverifiable'],
};

/** Most changes are compliant, as in a team that follows its process; every exception appears. */
const CYCLE: Scenario[] = [
  'compliant-regular', 'compliant-significant', 'compliant-regular', 'no-signoff', 'compliant-regular', 'signer-not-allowed',
  'compliant-significant', 'record-missing', 'compliant-regular', 'record-edited', 'compliant-regular', 'record-mismatch',
  'compliant-significant', 'level-below-recomputed', 'compliant-regular', 'no-owner-approval', 'compliant-emergency', 'self-approved-only',
  'compliant-regular', 'stale-approval', 'compliant-significant', 'unresolved-threads', 'compliant-regular', 'emergency-review-missing',
  'compliant-regular', 'emergency-review-late', 'compliant-significant', 'signoff-unverifiable',
];

export interface WorldPullRequest {
  number: number;
  scenario: Scenario;
  method: 'merge' | 'squash' | 'rebase';
  mergedAt: string;
  head: string;
  mergeCommit: string;
  inPeriod: boolean;
}

export interface AuditWorld {
  github: GitHubDouble;
  repo: TestRepo;
  pulls: WorldPullRequest[];
  directPushes: string[];
  since: string;
  until: string;
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

const DAY = 86_400_000;
const SINCE = Date.parse('2026-09-01T00:00:00Z');
const UNTIL = Date.parse('2026-11-30T23:59:59Z');
const AUTHORS = ['dev', 'ana', 'bo', 'cy'];
const METHODS = ['merge', 'squash', 'rebase'] as const;

function unix(ms: number): string {
  return `${Math.floor(ms / 1000)} +0000`;
}

function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export async function makeAuditWorld(count = 240): Promise<AuditWorld> {
  const origin = tempDir('cc-audit-origin-');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  const lines: string[] = [];
  let mark = 0;
  const data = (text: string) => {
    lines.push(`data ${Buffer.byteLength(text)}`, text);
  };
  const commit = (ref: string, c: { author: string; authorAt: number; committer: string; committedAt: number; message: string; from?: number; merge?: number; files: Record<string, string> }) => {
    const m = ++mark;
    lines.push(`commit ${ref}`, `mark :${m}`, `author ${c.author} <${c.author.toLowerCase()}@acme.test> ${unix(c.authorAt)}`, `committer ${c.committer} <${c.committer.toLowerCase()}@acme.test> ${unix(c.committedAt)}`);
    data(c.message);
    if (c.from) lines.push(`from :${c.from}`);
    if (c.merge) lines.push(`merge :${c.merge}`);
    for (const [file, content] of Object.entries(c.files)) {
      lines.push(`M 100644 inline ${file}`);
      data(content);
    }
    lines.push('');
    return m;
  };

  // The start: policy and code owners, before the oldest pull request.
  let main = commit('refs/heads/main', {
    author: 'lead', authorAt: SINCE - 40 * DAY, committer: 'lead', committedAt: SINCE - 40 * DAY, message: 'Start',
    files: { 'README.md': '# shop\n', '.github/change-control.yml': AUDIT_POLICY, '.github/CODEOWNERS': '* @acme/platform\n/src/auth/ @acme/security\n' },
  });
  interface Planned { number: number; scenario: Scenario; method: (typeof METHODS)[number]; mergedAt: number; author: string; heads: number[]; merge: number; base: number; inPeriod: boolean }
  const planned: Planned[] = [];
  const pushes: number[] = [];
  // Four pull requests merged before the period, then `count` over its 13 weeks, a direct push now and then.
  const before = 4;
  const span = UNTIL - SINCE - DAY;
  for (let i = 0; i < before + count; i++) {
    const number = i + 1;
    const inPeriod = i >= before;
    const k = i - before;
    const scenario = inPeriod ? CYCLE[k % CYCLE.length] : 'compliant-regular';
    const method = METHODS[i % 3];
    const mergedAt = inPeriod ? SINCE + Math.floor(((k + 0.5) / count) * span) : SINCE - (before - i) * DAY;
    const author = AUTHORS[i % AUTHORS.length];
    const significant = !scenario.startsWith('compliant-regular');
    const file = significant ? `src/auth/change-${number}.ts` : `docs/change-${number}.md`;
    const two = scenario === 'stale-approval' || method === 'rebase';
    const base = main;
    const heads: number[] = [];
    const firstAt = mergedAt - 2 * 3_600_000;
    heads.push(commit(`refs/pull/${number}/head`, { author, authorAt: firstAt, committer: author, committedAt: firstAt, message: `Change ${number}`, from: base, files: { [file]: `export const v${number} = 1;\n` } }));
    if (two) heads.push(commit(`refs/pull/${number}/head`, { author, authorAt: firstAt + 600_000, committer: author, committedAt: firstAt + 600_000, message: `Change ${number}, review`, files: { [file]: `export const v${number} = 2;\n` } }));
    const final = { [file]: `export const v${number} = ${two ? 2 : 1};\n` };
    if (method === 'merge') {
      main = commit('refs/heads/main', { author: 'lead', authorAt: mergedAt, committer: 'GitHub', committedAt: mergedAt, message: `Merge pull request #${number}`, from: main, merge: heads[heads.length - 1], files: final });
    } else if (method === 'squash') {
      main = commit('refs/heads/main', { author, authorAt: mergedAt, committer: 'GitHub', committedAt: mergedAt, message: `Change ${number} (#${number})`, from: main, files: final });
    } else {
      main = commit('refs/heads/main', { author, authorAt: firstAt, committer: 'GitHub', committedAt: mergedAt, message: `Change ${number}`, from: main, files: { [file]: `export const v${number} = 1;\n` } });
      main = commit('refs/heads/main', { author, authorAt: firstAt + 600_000, committer: 'GitHub', committedAt: mergedAt, message: `Change ${number}, review`, files: final });
    }
    planned.push({ number, scenario, method, mergedAt, author, heads, merge: main, base, inPeriod });
    if (inPeriod && k % 60 === 30) {
      main = commit('refs/heads/main', { author: 'ops', authorAt: mergedAt + 600_000, committer: 'ops', committedAt: mergedAt + 600_000, message: `Hotfix config ${k}`, from: main, files: { [`config/hotfix-${k}.json`]: '{}\n' } });
      pushes.push(main);
    }
  }
  lines.push('done', '');
  const marks = path.join(origin, 'marks');
  execFileSync('git', ['-C', origin, 'fast-import', '--quiet', '--done', `--export-marks=${marks}`], { input: lines.join('\n') });
  const sha = new Map(readFileSync(marks, 'utf8').trim().split('\n').map((l) => [Number(l.split(' ')[0].slice(1)), l.split(' ')[1]] as const));
  const treeOf = new Map<string, string>();
  const heads = planned.map((p) => sha.get(p.heads[p.heads.length - 1])!);
  execFileSync('git', ['-C', origin, 'rev-parse', ...heads.map((h) => `${h}^{tree}`)], { encoding: 'utf8' }).trim().split('\n').forEach((t, i) => treeOf.set(heads[i], t));

  const repo = TestRepo.at(tempDir('cc-audit-clone-'));
  execFileSync('git', ['clone', '-q', origin, repo.root]);
  repo.git('config', 'user.email', 'dev@acme.test');
  repo.git('config', 'user.name', 'dev');

  const github = await startGitHubDouble();
  github
    .token('tok-auditor', 'auditor', { scopes: ['repo', 'read:org'] })
    .repo(AUDIT_REPO, { collaborators: { auditor: 'admin', lead: 'admin', dev: 'write', ana: 'write', bo: 'write', cy: 'write', sec: 'write', rel: 'write', intern: 'read' } })
    .team('acme', 'security', { sec: 'active' })
    .team('acme', 'platform', {})
    .team('acme', 'release', { rel: 'active' })
    .org('acme', ['lead', 'dev', 'ana', 'bo', 'cy', 'sec', 'rel', 'auditor'])
    .protect(AUDIT_REPO, 'main', { requiredApprovals: 1, codeOwnerReviews: true })
    .branchRules(AUDIT_REPO, 'main', [{ type: 'required_status_checks', checks: [{ context: 'change-control', integrationId: 15368 }] }, { type: 'pull_request', requiredApprovals: 1 }]);

  const pulls: WorldPullRequest[] = [];
  const followUps: (() => void)[] = [];
  for (const p of planned) {
    const head = sha.get(p.heads[p.heads.length - 1])!;
    const firstHead = sha.get(p.heads[0])!;
    const mergeCommit = sha.get(p.merge)!;
    const mergedAt = iso(p.mergedAt);
    github.pullRequest(AUDIT_REPO, {
      number: p.number, author: p.author, title: `Change ${p.number}: ${p.scenario}`,
      head: { ref: `change-${p.number}`, sha: head }, base: { ref: 'main', sha: sha.get(p.base)! },
      merged: true, mergedAt, mergedBy: 'lead', mergeCommitSha: mergeCommit, updatedAt: iso(p.mergedAt + 60_000),
    });
    pulls.push({ number: p.number, scenario: p.scenario, method: p.method, mergedAt, head, mergeCommit, inPeriod: p.inPeriod });
    seedPullRequest(github, p.number, p.scenario, { head, firstHead, tree: treeOf.get(head)!, base: sha.get(p.base)!, author: p.author, reviewedAt: iso(p.mergedAt - 3_600_000), signedAt: iso(p.mergedAt - 1_800_000), mergedAt: p.mergedAt }, followUps);
  }
  // Issues share the pull requests' numbers: opened once every pull request has its own.
  for (const open of followUps) open();
  return {
    github,
    repo,
    pulls,
    directPushes: pushes.map((m) => sha.get(m)!),
    since: '2026-09-01',
    until: '2026-11-30',
    env: { GITHUB_TOKEN: 'tok-auditor', GITHUB_API_URL: github.url },
    async dispose() {
      await github.close();
      repo.dispose();
      github.assertNoViolations();
    },
  };
}

interface Seed {
  head: string;
  firstHead: string;
  tree: string;
  base: string;
  author: string;
  reviewedAt: string;
  signedAt: string;
  mergedAt: number;
}

/** What GitHub holds about one pull request, made to be its scenario and nothing else. */
function seedPullRequest(github: GitHubDouble, number: number, scenario: Scenario, s: Seed, later: (() => void)[]): void {
  if (scenario === 'compliant-regular') return;
  const emergency = scenario === 'compliant-emergency' || scenario.startsWith('emergency-');
  // Approvals: a code owner (sec, of @acme/security) on the final head, unless the scenario says otherwise.
  // Approved only by the author, or (every other one) by someone without write access.
  if (scenario === 'self-approved-only') github.review(AUDIT_REPO, number, { user: Math.floor(number / CYCLE.length) % 2 ? 'intern' : s.author, state: 'APPROVED', commitId: s.head, submittedAt: s.reviewedAt });
  else if (scenario === 'stale-approval') github.review(AUDIT_REPO, number, { user: 'sec', state: 'APPROVED', commitId: s.firstHead, submittedAt: s.reviewedAt });
  else if (scenario !== 'no-owner-approval') github.review(AUDIT_REPO, number, { user: 'sec', state: 'APPROVED', commitId: s.head, submittedAt: s.reviewedAt });
  github.reviewThread(AUDIT_REPO, number, { path: `src/auth/change-${number}.ts`, line: 1, resolved: scenario !== 'unresolved-threads', author: 'sec' });
  if (scenario === 'no-signoff') return;
  if (scenario === 'signoff-unverifiable') {
    // What gh-signoff writes: a status with no change record behind it.
    github.status(AUDIT_REPO, s.head, { context: 'signoff', state: 'success', description: 'Signed off by lead', creator: 'lead', createdAt: s.signedAt });
    return;
  }
  const signer = scenario === 'signer-not-allowed' ? 'dev' : number % 2 ? 'lead' : 'rel';
  const declaredAt = new Date(s.mergedAt - 3 * 3_600_000).toISOString();
  const reviewDue = new Date(s.mergedAt - 3 * 3_600_000 + 2 * DAY).toISOString();
  const record: ChangeRecord = {
    format: 'change-control/change-record',
    version: 1,
    repository: AUDIT_REPO,
    pullRequest: { number, url: `https://github.com/${AUDIT_REPO}/pull/${number}` },
    head: scenario === 'record-mismatch' ? s.base : s.head,
    tree: s.tree,
    base: { ref: 'main', sha: s.base },
    level: scenario === 'level-below-recomputed' ? { id: 'regular', title: 'Regular' } : { id: 'significant', title: 'Significant' },
    emergency: emergency ? { reason: 'Logins failing in production', declaredAt, declaredBy: s.author, reviewDue } : null,
    reasons: [{ rule: 'zone', label: 'Authentication', path: `src/auth/change-${number}.ts`, line: null, message: `src/auth/change-${number}.ts is in Authentication` }],
    reasonsOmitted: 0,
    checklist: [{ id: 'signoff', title: 'Formal sign-off recorded', kind: 'signoff', required: true, state: 'done', why: 'Signed off by this record.' }],
    changeRequest: [],
    signer,
    signedAt: s.signedAt,
    policy: { source: '.github/change-control.yml', name: null },
    tool: { name: 'change-control', version: '0.1.0' },
  };
  const body = renderChangeRecord(record);
  // Edited: someone changed what reviewers read after the sign-off (GitHub keeps the comment's author).
  const comment = github.issueComment(AUDIT_REPO, number, signer, scenario === 'record-edited' ? body.replace('Formal sign-off recorded', 'Formal sign-off recorded (edited)') : body, s.signedAt);
  const target = scenario === 'record-missing' ? `https://github.com/${AUDIT_REPO}/pull/${number}` : `https://github.com/${AUDIT_REPO}/pull/${number}#issuecomment-${comment.id}`;
  github.status(AUDIT_REPO, s.head, { context: 'signoff', state: 'success', description: statusDescription(record.level.title, signer, shortDigest(record), emergency), targetUrl: target, creator: signer, createdAt: s.signedAt });
  if (emergency && scenario !== 'emergency-review-missing') {
    const closedAt = new Date(scenario === 'emergency-review-late' ? Date.parse(reviewDue) + DAY : s.mergedAt + DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
    later.push(() => github.issue(AUDIT_REPO, { title: `Post-implementation review: emergency change ${AUDIT_REPO}#${number}`, body: `${followUpMarker(record)}\nThe review.`, labels: ['change-control'], state: 'closed', createdAt: iso(s.mergedAt), closedAt }));
  }
}
