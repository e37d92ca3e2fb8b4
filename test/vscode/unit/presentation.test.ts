// The status bar and the checklist tree rendered from RepositoryViews, in plain Node (these modules
// do not import `vscode`; the real workbench is tested by the in-host and e2e layers).
import * as assert from 'node:assert/strict';
import type { Assessment, ChecklistEntry } from '../../../src/core/assessment';
import { changeRecordFields, checklistProgress } from '../../../src/core/checklist/evaluate';
import { buildChecklistTree, openRequiredCount } from '../../../src/extension/checklistModel';
import { State } from '../../../src/extension/ids';
import type { RepositoryView } from '../../../src/extension/repositoryView';
import { levelBackground, presentStatus } from '../../../src/extension/statusPresentation';

const CHECKLIST: ChecklistEntry[] = [
  { id: 'tests', title: 'Tests pass', kind: 'command', required: true, state: 'pending', why: 'Not run yet.', source: 'level', confirmedBy: 'command', attestable: false, command: 'npm test' },
  { id: 'e2e', title: 'Tested end to end', kind: 'attestation', required: true, state: 'done', why: 'Confirmed.', source: 'level', confirmedBy: 'person', attestable: true, covers: ['auth'] },
  { id: 'old', title: 'Security review', kind: 'attestation', required: false, state: 'pending', why: 'stale', source: 'zone:auth', confirmedBy: 'person', attestable: true, covers: ['auth'], stale: true },
];

function assessment(over: Partial<Assessment> = {}): Assessment {
  const checklist = over.checklist ?? CHECKLIST;
  return {
    repository: { root: '/r', gitDir: '/r/.git', commonDir: '/r/.git', shallow: false, headSha: 'a'.repeat(40), branch: 'feature/x' },
    base: { ref: 'main', sha: 'b'.repeat(40) },
    head: null,
    policy: { source: { kind: 'file', path: '.github/change-control.yml' }, name: null },
    level: { id: 'significant', title: 'Significant', index: 1 },
    levels: [
      { id: 'regular', title: 'Regular', index: 0 },
      { id: 'significant', title: 'Significant', index: 1 },
    ],
    reasons: [
      { rule: 'zone', id: 'auth', level: 'significant', levelTitle: 'Significant', label: 'Authentication', path: 'src/auth/a.ts', line: null, message: 'src/auth/a.ts — Authentication (zone auth): Significant.' },
      { rule: 'content', id: 'payments', level: 'significant', levelTitle: 'Significant', label: 'Payments', path: 'src/pay.ts', line: 7, message: 'src/pay.ts:7 adds `charge(`.' },
    ],
    files: [{ path: 'src/auth/a.ts', status: 'modified', zones: ['auth'], components: [], level: { id: 'significant', title: 'Significant', index: 1 } }],
    zones: [
      { id: 'auth', title: 'Authentication', level: 'significant' },
      { id: 'payments', title: 'Payments', level: 'significant' },
    ],
    components: [],
    migrations: [],
    checklist,
    progress: checklistProgress(checklist),
    changeRecord: changeRecordFields(checklist),
    freeze: null,
    emergency: null,
    signoff: null,
    emergencyPath: null,
    notes: [],
    ...over,
  };
}

function view(over: Partial<RepositoryView> = {}): RepositoryView {
  return { root: '/r', name: 'r', state: State.assessed, assessment: assessment(), problems: [], usingLastGoodPolicy: false, trusted: true, running: new Set(), ...over };
}

describe('status bar presentation', () => {
  it('shows the level and the zones that fired, with a warning background', () => {
    const p = presentStatus(view());
    assert.equal(p.text, '$(shield) Significant · auth, payments');
    assert.equal(p.background, 'warning');
    assert.match(p.tooltip, /Why this change is significant/);
    assert.match(p.tooltip, /command:changeControl\.openReason\?/);
    assert.match(p.tooltip, /1 required item open/);
  });

  it('links each reason once, by its file and line, and shows its code spans as code, not as backticks', () => {
    // Markdown escapes aside (\\. \\( ...), as the hover renders it:
    const rendered = presentStatus(view()).tooltip.split('\n').map((l) => l.replace(/\\(.)/g, '$1'));
    const zone = rendered.find((l) => l.includes('Authentication'))!;
    assert.match(zone, /^- \[src\/auth\/a\.ts\]\(command:changeControl\.openReason\?[^)]+\) — Authentication \(zone auth\): Significant\.$/);
    const content = presentStatus(view()).tooltip.split('\n').find((l) => l.includes('pay'))!;
    assert.match(content, /\) adds `charge\(`\\\.$/, 'the code span stays a code span, unescaped inside');
    assert.equal(content.split('src/pay').length - 1, 1, 'the path appears once');
  });

  it('has distinct states: no repository, no changes, policy error, freeze, emergency', () => {
    assert.equal(presentStatus(view({ state: State.noRepository, assessment: undefined })).text, '$(shield) No repository');
    assert.equal(presentStatus(view({ state: State.noChanges })).text, '$(shield) No changes');
    assert.equal(presentStatus(view({ state: State.policyError, assessment: undefined, problems: [{ file: 'p.yml', line: 3, column: 5, key: 'levels', message: 'bad' }] })).text, '$(warning) Policy error');
    assert.equal(presentStatus(view({ state: State.policyError })).text, '$(warning) Policy error · Significant · auth, payments');
    const freeze = presentStatus(view({ assessment: assessment({ freeze: { title: 'Holiday freeze', from: '2026-12-20', until: '2027-01-02', mode: 'block' } }) }));
    assert.equal(freeze.text, '$(lock) Freeze · Significant · auth, payments');
    assert.equal(freeze.background, 'error');
    const emergency = presentStatus(view({ assessment: assessment({ emergency: { declaredAt: '2026-11-21T10:00:00Z', by: 'Dana', reason: 'Outage', reviewDue: null } }) }));
    assert.equal(emergency.text, '$(flame) Emergency · Significant · auth, payments');
    assert.equal(emergency.background, 'error');
  });

  it('says when HEAD is signed off, with a link to the change record, and when the sign-off is outdated', () => {
    const signoff = { by: 'octocat', at: '2026-12-01T10:00:00Z', commit: 'a'.repeat(40), level: 'significant', emergency: false, url: 'https://github.com/acme/shop/pull/7#issuecomment-1', current: true };
    const signed = presentStatus(view({ assessment: assessment({ signoff }) }));
    assert.equal(signed.text, '$(verified) Significant · auth, payments · Signed off');
    assert.match(signed.tooltip, /\*\*Signed off\*\* by @octocat .*\[change record\]\(https:\/\/github\.com\/acme\/shop\/pull\/7#issuecomment-1\)/);
    const outdated = presentStatus(view({ assessment: assessment({ signoff: { ...signoff, current: false } }) }));
    assert.equal(outdated.text, '$(shield) Significant · auth, payments · Sign-off outdated');
    assert.match(outdated.tooltip, /HEAD has moved on: sign off again/);
  });

  it('a signed-off item opens its change record, and its tooltip names it', () => {
    const url = 'https://github.com/acme/shop/pull/7#issuecomment-1';
    const signed: ChecklistEntry = { id: 'signoff', title: 'Formal sign-off recorded', kind: 'signoff', required: true, state: 'done', why: 'Signed off by @octocat.', source: 'level', confirmedBy: 'github', attestable: false, url };
    const tree = buildChecklistTree([view({ assessment: assessment({ checklist: [signed] }) })], {});
    const row = tree.flatMap((n) => n.children ?? []).find((n) => n.ref?.itemId === 'signoff');
    assert.equal(row?.link, url);
    assert.match(row?.tooltip ?? '', /Change record: https:\/\/github\.com\/acme\/shop\/pull\/7#issuecomment-1/);
  });

  it('names the repository when the workspace has several', () => {
    assert.equal(presentStatus(view(), { showName: true }).text, '$(shield) r: Significant · auth, payments');
  });

  it('uses the error background only for the top of three or more levels', () => {
    assert.equal(levelBackground(0, 3), undefined);
    assert.equal(levelBackground(1, 3), 'warning');
    assert.equal(levelBackground(2, 3), 'error');
    assert.equal(levelBackground(1, 2), 'warning');
  });
});

describe('checklist tree model', () => {
  const options = {};

  it('lists reasons (opening file and line), then the checklist with states and checkboxes', () => {
    const nodes = buildChecklistTree([view()], options);
    const why = nodes.find((n) => n.label === 'Why Significant')!;
    assert.equal(why.description, '1 file since main');
    assert.match(why.tooltip!, /^Why this change is Significant: 1 file changed since main \(bbbbbbb\)\.$/);
    assert.deepEqual(why.children!.map((c) => c.label), ['src/auth/a.ts', 'src/pay.ts:7']);
    assert.deepEqual(why.children![1].command?.arguments, ['/r', 'src/pay.ts', 7]);
    const checklist = nodes.find((n) => n.label.startsWith('Checklist'))!;
    assert.equal(checklist.description, '1 of 2 done');
    const [tests, e2e, old] = checklist.children!;
    assert.equal(tests.contextValue, 'command');
    assert.equal(e2e.checkbox, true);
    assert.equal(old.checkbox, false);
    assert.equal(old.description, 'stale · optional');
    assert.equal(old.tooltip, 'Security review (optional)\n\nstale', 'the whole title and why, for a row cut short');
    assert.deepEqual(why.children!.map((c) => c.description), ['Authentication', 'Payments']);
  });

  it('says why commands do not run in an untrusted workspace', () => {
    const nodes = buildChecklistTree([view({ trusted: false })], options);
    assert.ok(nodes.some((n) => n.label.startsWith('Workspace not trusted')));
    const tests = nodes.find((n) => n.label.startsWith('Checklist'))!.children![0];
    assert.equal(tests.contextValue, 'commandUntrusted');
    assert.match(tests.description!, /untrusted/);
    assert.match(tests.tooltip!, /Not run: the workspace is not trusted\./);
  });

  it('is empty (the welcome view explains) without changes, and per repository in multi-root', () => {
    assert.deepEqual(buildChecklistTree([view({ state: State.noChanges })], options), []);
    const multi = buildChecklistTree([view(), view({ root: '/s', name: 's', state: State.noRepository, assessment: undefined })], { ...options, activeRoot: '/r' });
    assert.deepEqual(multi.map((n) => [n.label, n.description, n.expanded]), [
      ['r', 'Significant · auth, payments', true],
      ['s', 'not a git repository', false],
    ]);
    assert.equal(openRequiredCount(view()), 1);
  });
});
