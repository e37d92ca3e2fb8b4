// Owns the checklist of a change: which items its level, zones, migrations and the emergency path
// require, and each item's state against the evidence at hand, with the reason for that state.
import { own } from '../own';
import type { ActiveFreeze, ChangeRecordField, ChecklistEntry, ChecklistProgress, ConfirmedBy, ItemState } from '../assessment';
import { CHANGE_REQUEST_FIELDS } from '../policy/changeRequestFields';
import type { Policy, PolicyChecklistItem } from '../policy/schema';
import type { CodeOwners } from '../github/codeOwners';
import type { PullRequestFacts } from '../github/pullRequest';
import { evaluateApproval } from './approvals';
import type { Evidence } from './evidence';
import { parseDuration } from './duration';

export interface ChecklistInput {
  policy: Policy;
  levelId: string;
  zones: readonly string[];
  migrationsBeyond: boolean;
  evidence: Evidence;
  /** The pull request's reviews and threads, when a door read them from GitHub; absent otherwise. */
  pullRequest?: PullRequestFacts;
  /** Changed paths and their zones (code owners and zone owners are per file and zone). */
  files: readonly { path: string; zones: readonly string[] }[];
  headSha: string | null;
  dirty: boolean;
  /** What `run: auto` resolved to for this repository (undefined: nothing found). */
  autoCommand?: string;
  /** Zones changed since each attestation was made, by item id (computed by the caller from git). */
  zonesChangedSince: ReadonlyMap<string, readonly string[]>;
  freeze: ActiveFreeze | null;
  now: Date;
  /** The base's CODEOWNERS (GitHub's order), null when it has none; undefined when not looked up. */
  codeOwners?: CodeOwners | null;
}

interface Required {
  id: string;
  source: string;
}

export function requiredItems(input: Pick<ChecklistInput, 'policy' | 'levelId' | 'zones' | 'migrationsBeyond' | 'evidence'>): Required[] {
  const { policy } = input;
  const out: Required[] = [];
  const seen = new Set<string>();
  const add = (ids: readonly string[], source: string) => {
    for (const id of ids) {
      if (!seen.has(id)) {
        seen.add(id);
        out.push({ id, source });
      }
    }
  };
  if (input.evidence.emergency && policy.emergency) {
    add(policy.emergency.checklist, 'emergency');
    add(policy.emergency.postReview?.checklist ?? [], 'post-review');
  } else {
    add(policy.levels.find((l) => l.id === input.levelId)?.checklist ?? [], 'level');
  }
  for (const zone of input.zones) add(own(policy.zones, zone)?.checklist ?? [], `zone:${zone}`);
  if (input.migrationsBeyond && policy.migrations) add(policy.migrations.checklist, 'migrations');
  return out;
}

export function evaluateChecklist(input: ChecklistInput): ChecklistEntry[] {
  const entries: ChecklistEntry[] = [];
  if (input.freeze) entries.push(freezeEntry(input.freeze, input.evidence.emergency !== undefined));
  for (const { id, source } of requiredItems(input)) {
    const item = own(input.policy.checklist, id);
    if (!item) continue;
    const { state, why, ...extra } = evaluateItem(id, item, source, input);
    const confirmedBy = CONFIRMED_BY[item.kind];
    entries.push({
      id,
      title: item.title,
      kind: item.kind,
      required: item.required,
      state,
      why,
      source,
      confirmedBy,
      // A post-implementation review outside the emergency path is due only after deploying.
      attestable: confirmedBy === 'person' && item.kind !== 'change-request' && state !== 'not-applicable',
      ...(item.kind === 'attestation' || item.kind === 'post-review' ? { covers: item.kind === 'attestation' && item.covers ? [...item.covers] : [...input.zones] } : {}),
      ...extra,
    });
  }
  return entries;
}

/** Who completes each kind of item. */
const CONFIRMED_BY: Record<PolicyChecklistItem['kind'], ConfirmedBy> = {
  command: 'command',
  attestation: 'person',
  notification: 'person',
  'post-review': 'person',
  'change-request': 'person',
  approval: 'github',
  review: 'github',
  'reviews-resolved': 'github',
  signoff: 'github',
};

/** The one count of "what is still open": required items that apply and are pending or failed. */
export function checklistProgress(entries: readonly ChecklistEntry[]): ChecklistProgress {
  const applying = entries.filter((c) => c.required && c.state !== 'not-applicable');
  const done = applying.filter((c) => c.state === 'done').length;
  return { required: applying.length, done, open: applying.length - done, complete: applying.length === done };
}

/** Every field the checklist's change-request items ask for, in order, once each. */
export function changeRecordFields(entries: readonly ChecklistEntry[]): ChangeRecordField[] {
  const seen = new Map<string, ChangeRecordField>();
  for (const entry of entries) for (const f of entry.fields ?? []) if (!seen.has(f.id)) seen.set(f.id, f);
  return [...seen.values()];
}

/** A change-record field's title: the known ones have words, others read as their id. */
export function changeRecordFieldTitle(id: string): string {
  return Object.hasOwn(CHANGE_REQUEST_FIELDS, id) ? CHANGE_REQUEST_FIELDS[id as keyof typeof CHANGE_REQUEST_FIELDS] : id;
}

function freezeEntry(freeze: ActiveFreeze, emergency: boolean): ChecklistEntry {
  const blocked = freeze.mode === 'block' || !emergency;
  return {
    id: 'freeze',
    title: `Freeze window: ${freeze.title}`,
    kind: 'freeze',
    required: true,
    state: blocked ? 'failed' : 'done',
    why:
      freeze.mode === 'block'
        ? `No change may ship during ${freeze.title} (${freeze.from} – ${freeze.until}).`
        : emergency
          ? `Shipping during ${freeze.title} through the declared emergency path.`
          : `During ${freeze.title} (${freeze.from} – ${freeze.until}) only emergency changes may ship: declare an emergency or wait.`,
    source: 'freeze',
    confirmedBy: 'engine',
    attestable: false,
  };
}

type Evaluated = { state: ItemState; why: string } & Partial<Pick<ChecklistEntry, 'command' | 'fields' | 'missingFields' | 'stale' | 'approvals' | 'threads' | 'url'>>;

function evaluateItem(id: string, item: PolicyChecklistItem, source: string, input: ChecklistInput): Evaluated {
  const short = (sha: string | null) => (sha ? sha.slice(0, 7) : 'before the first commit');
  switch (item.kind) {
    case 'command': {
      const run = own(input.evidence.commands, id);
      const command = item.run === 'auto' ? input.autoCommand : item.run;
      if (command === undefined) {
        return { state: 'pending', why: 'No test command found for this project (package.json test script, Makefile test target, mix, go, cargo, pytest, ...): set `run:` on this item in the policy.' };
      }
      if (!run) return { state: 'pending', why: `Not run yet for this change: run \`${command}\`.`, command };
      if (run.dirty && run.commit === input.headSha) {
        // A run over uncommitted work proves nothing about a commit anyone can review.
        const result = run.exitCode === 0 ? 'Passed' : `Failed (exit code ${run.exitCode ?? 'none, cancelled'})`;
        return { state: run.exitCode === 0 ? 'pending' : 'failed', why: `${result} on uncommitted changes: commit, then run it again.`, command };
      }
      if (run.commit !== input.headSha || input.dirty) {
        return { state: 'pending', why: `Last run at ${short(run.commit)}; the change has moved on since: run it again.`, command };
      }
      if (run.exitCode === 0) return { state: 'done', why: `Passed at ${short(run.commit)} (${run.at}).`, command };
      return { state: 'failed', why: `Failed at ${short(run.commit)} with exit code ${run.exitCode ?? 'none (cancelled)'}.`, command };
    }
    case 'attestation': {
      const att = own(input.evidence.attestations, id);
      if (!att) return { state: 'pending', why: 'Not confirmed yet: confirm it once done.' };
      const changed = input.zonesChangedSince.get(id) ?? [];
      if (changed.length > 0) {
        return {
          state: 'pending',
          stale: true,
          why: `Confirmed by ${att.by} at ${short(att.commit)}, but later changes touched ${changed.join(', ')}: confirm it again.`,
        };
      }
      return { state: 'done', why: `Confirmed by ${att.by} at ${short(att.commit)} (${att.at}).` };
    }
    case 'change-request': {
      const record = input.evidence.changeRecord;
      const fields = item.fields.map((id) => ({ id, title: changeRecordFieldTitle(id), value: (Object.hasOwn(record, id) ? record[id] : '').trim() }));
      const missing = fields.filter((f) => !f.value);
      if (missing.length === 0) return { state: 'done', why: 'Every field of the change record is filled in.', fields, missingFields: [] };
      return { state: 'pending', why: `Missing from the change record: ${missing.map((f) => f.title).join(', ')}.`, fields, missingFields: missing.map((f) => f.id) };
    }
    case 'notification': {
      // Done when Change Control delivered to every target (sign-off, an emergency, `notify
      // --phase`), or when a person confirms they told them (a webhook down, a target told by hand).
      const sent = own(input.evidence.notifications, id);
      const name = (t: string) => own(input.policy.notify, t)?.title ?? t;
      if (sent?.delivered?.length) {
        return { state: 'done', why: `Sent by Change Control to ${sent.delivered.map((d) => `${name(d.target)} (${d.event})`).join(', ')}; complete at ${sent.at}.` };
      }
      if (sent) return { state: 'done', why: `Confirmed by ${sent.by} at ${sent.at}.` };
      const targets = item.targets.map(name).join(', ');
      const events = [...new Set(item.targets.flatMap((t) => own(input.policy.notify, t)?.on ?? []))];
      const deploy = events.some((e) => e === 'before-deploy' || e === 'after-deploy') ? ' (`change-control notify --phase before|after` in the deploy)' : '';
      return { state: 'pending', why: `Not sent yet: Change Control tells ${targets} on ${events.join(', ')}${deploy}. Or tell them yourself, then confirm it here.` };
    }
    case 'post-review': {
      const emergency = input.evidence.emergency;
      const within = item.within ?? input.policy.emergency?.postReview?.within;
      if (source === 'post-review' && emergency && within) {
        const due = new Date(Date.parse(emergency.declaredAt) + parseDuration(within));
        const att = own(input.evidence.attestations, id);
        if (att) return { state: 'done', why: `Done by ${att.by} at ${att.at}.` };
        if (input.now > due) return { state: 'failed', why: `Overdue: due ${due.toISOString()} (${within} after the emergency was declared).` };
        return { state: 'pending', why: `Due by ${due.toISOString()} (${within} after the emergency was declared).` };
      }
      const att = own(input.evidence.attestations, id);
      if (att) return { state: 'done', why: `Done by ${att.by} at ${att.at}.` };
      return { state: 'not-applicable', why: 'Due after the change is deployed.' };
    }
    case 'approval':
    case 'review':
    case 'reviews-resolved': {
      // Without GitHub at hand (the editor's every save), a sign-off of this very commit is what GitHub said then.
      const verified = !input.pullRequest ? verifiedAtSignoff(input) : undefined;
      if (verified) return verified;
      return item.kind === 'approval' ? evaluateApproval(item, input) : evaluateReviewItem(item, input.pullRequest);
    }
    case 'signoff':
      return evaluateSignoff(input);
  }
}

function evaluateReviewItem(item: Extract<PolicyChecklistItem, { kind: 'review' | 'reviews-resolved' }>, facts: PullRequestFacts | undefined): Evaluated {
  if (!facts) {
    return { state: 'pending', why: `${item.kind === 'review' ? 'Needs a review' : 'Needs every review thread resolved'} on the pull request; read from GitHub at sign-off.` };
  }
  if (item.kind === 'review') {
    // Anyone but the author who gave an opinion; a dismissed review is no longer one.
    const reviewers = facts.reviewers.filter((r) => r.state !== 'dismissed');
    return reviewers.length >= item.count
      ? { state: 'done', why: `Reviewed by ${reviewers.map((r) => `@${r.login}`).join(', ')}.` }
      : { state: 'pending', why: `Needs ${item.count} reviewer${item.count > 1 ? 's' : ''} other than the author; has ${reviewers.length}.` };
  }
  // GitHub's "require conversation resolution" counts outdated threads too.
  const open = facts.threads.filter((t) => !t.resolved);
  if (open.length === 0) return { state: 'done', why: `Every review thread is resolved (${facts.threads.length}).`, threads: [] };
  return {
    state: 'pending',
    why: `${open.length} review thread${open.length > 1 ? 's are' : ' is'} not resolved (outdated ones count too): resolve ${open.length > 1 ? 'them' : 'it'} on the pull request: ${open
      .slice(0, 5)
      .map((t) => `${t.path}${t.line ? `:${t.line}` : ''}${t.outdated ? ' (outdated)' : ''} ${t.url}`)
      .join(', ')}${open.length > 5 ? `, and ${open.length - 5} more` : ''}.`,
    threads: open.map((t) => ({ path: t.path, line: t.line, url: t.url, outdated: t.outdated })),
  };
}

function verifiedAtSignoff(input: ChecklistInput): Evaluated | undefined {
  const s = input.evidence.signoff;
  if (!s || s.commit !== input.headSha || input.dirty) return undefined;
  return { state: 'done', why: `Verified on GitHub when @${s.by} signed off ${s.commit.slice(0, 7)} (${s.at}); the gate checks it again.`, ...(s.url ? { url: s.url } : {}) };
}

function evaluateSignoff(input: ChecklistInput): Evaluated {
  const s = input.evidence.signoff;
  if (!s) return { state: 'pending', why: 'Sign off once everything else is done: Change Control: Sign Off in the editor, or `change-control signoff`.' };
  const what = `${s.emergency ? 'Emergency sign-off' : 'Signed off'} by @${s.by} at ${s.commit.slice(0, 7)} (${s.at})`;
  if (s.commit !== input.headSha || input.dirty) {
    return { state: 'pending', stale: true, why: `Sign-off outdated: ${what}; the change has moved on since: sign off again.`, ...(s.url ? { url: s.url } : {}) };
  }
  return { state: 'done', why: `${what}.`, ...(s.url ? { url: s.url } : {}) };
}
