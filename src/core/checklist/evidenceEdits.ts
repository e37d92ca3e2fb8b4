// Owns every change a person or a run makes to a branch's evidence: attest and withdraw, record a
// command run, fill in the change record, declare and withdraw an emergency. Pure functions from
// (evidence, assessment, input) to new evidence; a door gathers the input and stores the result,
// so the CLI and the editor record exactly the same thing.
import { own, setOwn } from '../own';
import type { Assessment, ChecklistEntry } from '../assessment';
import { ChangeControlError } from '../errors';
import type { NotifyEvent, Policy } from '../policy/schema';
import type { CommandRunRecord, DeliveryRecord, Evidence } from './evidence';

/** Who acts, and when. */
export interface Actor {
  by: string;
  at: Date;
}

/** The checklist entry `itemId` of this assessment, or a sentence naming the ones there are. */
export function checklistEntry(assessment: Assessment, itemId: string): ChecklistEntry {
  const entry = assessment.checklist.find((c) => c.id === itemId);
  if (entry) return entry;
  const ids = assessment.checklist.filter((c) => c.kind !== 'freeze').map((c) => c.id);
  throw new ChangeControlError(
    'CHECKLIST_ITEM',
    `"${itemId}" is not on this change's checklist (${assessment.level.title}${assessment.emergency ? ', emergency path' : ''}).${ids.length ? ` Items: ${ids.join(', ')}.` : ''}`,
  );
}

function attestableEntry(assessment: Assessment, itemId: string): ChecklistEntry {
  const entry = checklistEntry(assessment, itemId);
  if (entry.attestable) return entry;
  const how: Record<ChecklistEntry['confirmedBy'], string> = {
    person: entry.kind === 'change-request' ? 'fill in its change-record fields instead' : 'it is not due yet',
    github: 'it is read from the pull request on GitHub at sign-off',
    command: `run it instead${entry.command ? ` (\`${entry.command}\`)` : ''}`,
    engine: 'the policy decides it',
  };
  throw new ChangeControlError('CHECKLIST_ITEM', `"${entry.title}" (${itemId}) cannot be confirmed by hand: ${how[entry.confirmedBy]}.`);
}

/** Confirms an item a person completes, at the commit the assessment saw, covering the entry's zones. */
export function attest(evidence: Evidence, assessment: Assessment, itemId: string, actor: Actor): Evidence {
  const entry = attestableEntry(assessment, itemId);
  const at = actor.at.toISOString();
  if (entry.kind === 'notification') {
    return { ...evidence, notifications: { ...evidence.notifications, [itemId]: { by: actor.by, at } } };
  }
  const record = { by: actor.by, at, commit: assessment.head ?? assessment.repository.headSha, zones: entry.covers ?? assessment.zones.map((z) => z.id) };
  return { ...evidence, attestations: withOwn(evidence.attestations, itemId, record) };
}

/** Withdraws a confirmation; withdrawing one that was never made changes nothing. */
export function withdraw(evidence: Evidence, assessment: Assessment, itemId: string): Evidence {
  const entry = attestableEntry(assessment, itemId);
  const key = entry.kind === 'notification' ? 'notifications' : 'attestations';
  const rest = { ...evidence[key] };
  delete rest[itemId];
  return { ...evidence, [key]: rest };
}

/** A notification Change Control delivered: to which notify target, of which event. */
export interface Delivered {
  target: string;
  event: NotifyEvent;
}

/**
 * Records what Change Control delivered for this change (by target, the last delivery of each
 * event), and completes every notification item of the checklist whose targets have all been
 * told. An item already complete — confirmed by a person, or delivered before — stays as it is.
 */
export function recordDeliveries(
  evidence: Evidence,
  policy: Policy,
  assessment: Pick<Assessment, 'checklist' | 'repository' | 'head'>,
  delivered: readonly Delivered[],
  actor: Actor,
): Evidence {
  if (delivered.length === 0) return evidence;
  const at = actor.at.toISOString();
  const deliveries: NonNullable<Evidence['deliveries']> = { ...evidence.deliveries };
  for (const d of delivered) setOwn(deliveries, d.target, { ...own(deliveries, d.target), [d.event]: { at, by: actor.by, commit: assessment.head ?? assessment.repository.headSha } });
  const notifications = { ...evidence.notifications };
  for (const entry of assessment.checklist) {
    const item = own(policy.checklist, entry.id);
    if (item?.kind !== 'notification' || Object.hasOwn(notifications, entry.id)) continue;
    const told = item.targets.map((target) => ({ target, last: latestDelivery(own(deliveries, target)) }));
    if (told.every((t) => t.last)) {
      setOwn(notifications, entry.id, { by: actor.by, at, delivered: told.map(({ target, last }) => ({ target, event: last![0], at: last![1].at })) });
    }
  }
  return { ...evidence, deliveries, notifications };
}

function latestDelivery(byEvent: Record<string, DeliveryRecord> | undefined): [string, DeliveryRecord] | undefined {
  return Object.entries(byEvent ?? {}).sort(([, a], [, b]) => Date.parse(b.at) - Date.parse(a.at))[0];
}

/** Records a finished run of a command item (a cancelled run, or one that never started, records nothing). */
export function recordRun(evidence: Evidence, itemId: string, run: CommandRunRecord): Evidence {
  return { ...evidence, commands: withOwn(evidence.commands, itemId, run) };
}

/**
 * Sets a change-record field (trimmed); an empty value clears it. Any field id may be kept, but a
 * field no item of this checklist asks for is refused, so a typo is not stored silently.
 */
export function setChangeRecordField(evidence: Evidence, assessment: Assessment, field: string, value: string): Evidence {
  if (!assessment.changeRecord.some((f) => f.id === field)) {
    const ids = assessment.changeRecord.map((f) => f.id);
    throw new ChangeControlError(
      'CHECKLIST_ITEM',
      ids.length
        ? `"${field}" is not a field of this change's record. Fields: ${ids.join(', ')}.`
        : `The ${assessment.level.title} checklist asks for no change record, so there is no field "${field}" to set.`,
    );
  }
  const changeRecord = { ...evidence.changeRecord };
  const text = value.trim();
  if (text) setOwn(changeRecord, field, text);
  else delete changeRecord[field];
  return { ...evidence, changeRecord };
}

/** The minimum an emergency reason must say: it goes into the change record. */
export const MIN_EMERGENCY_REASON = 5;

export function validateEmergencyReason(reason: string): string | undefined {
  return reason.trim().length < MIN_EMERGENCY_REASON ? 'Say why, in a few words: the reason goes into the change record.' : undefined;
}

export function declareEmergency(evidence: Evidence, reason: string, actor: Actor): Evidence {
  const problem = validateEmergencyReason(reason);
  if (problem) throw new ChangeControlError('USAGE', `The emergency reason is too short. ${problem}`);
  return { ...evidence, emergency: { declaredAt: actor.at.toISOString(), by: actor.by, reason: reason.trim() } };
}

export function withdrawEmergency(evidence: Evidence): Evidence {
  const rest = { ...evidence };
  delete rest.emergency;
  return rest;
}

/** A copy of the record with the key set as its own entry, whatever the key. */
function withOwn<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  const out = { ...record };
  setOwn(out, key, value);
  return out;
}
