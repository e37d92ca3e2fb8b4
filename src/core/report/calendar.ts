// The change calendar: every signed-off change of a period, from its change record, as an
// iCalendar feed a team subscribes to and as markdown. SyncWell keeps "a calendar of all approved
// changes … shared with the entire engineering organisation"; this is that calendar, built from
// what sign-off recorded, not typed in again. Strings only: the door reads GitHub and writes files.
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { PullRequestSummary } from '../github/facts';
import type { ChangeRecord } from '../signoff/changeRecord';

export interface CalendarEntry {
  pullRequest: PullRequestSummary;
  /** The change record of its final head; null when it was merged without one. */
  record: ChangeRecord | null;
}

export interface CalendarEvent {
  uid: string;
  start: Date;
  /** Whether `start` is the change request's planned deployment time (else when it merged). */
  planned: boolean;
  summary: string;
  description: string;
  url: string;
  level: string;
  emergency: boolean;
  signedOffBy: string | null;
}

/** How long a change occupies the calendar when it names no window. */
const DEFAULT_MINUTES = 30;

export function calendarEvents(repository: string, entries: readonly CalendarEntry[]): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  for (const { pullRequest: pr, record } of entries) {
    if (!record) continue;
    const plannedText = record.changeRequest.find((f) => f.id === 'deployment-time')?.value;
    const plannedAt = plannedText ? Date.parse(plannedText) : NaN;
    const mergedAt = pr.mergedAt ? Date.parse(pr.mergedAt) : Date.parse(record.signedAt);
    const planned = !Number.isNaN(plannedAt);
    const emergency = record.emergency !== null;
    const summary = `${emergency ? '🚨 EMERGENCY · ' : ''}${record.level.title}: ${pr.title} (#${pr.number})`;
    const description = [
      `${repository}#${pr.number} by @${pr.author}, signed off by @${record.signer} at ${record.signedAt} (commit ${record.head.slice(0, 7)}).`,
      `Level: ${record.level.title}${record.reasons.length ? ` — ${[...new Set(record.reasons.map((r) => r.label))].join('; ')}` : ''}.`,
      ...(emergency ? [`Emergency: ${record.emergency!.reason}${record.emergency!.reviewDue ? ` (post-implementation review due ${record.emergency!.reviewDue})` : ''}.`] : []),
      pr.mergedAt ? `Outcome: merged at ${pr.mergedAt}.` : 'Outcome: not merged yet.',
      ...record.changeRequest.filter((f) => f.value && f.id !== 'deployment-time').map((f) => `${f.title}: ${f.value}`),
    ].join('\n');
    events.push({
      uid: `${repository}#${pr.number}@change-control`,
      start: new Date(planned ? plannedAt : mergedAt),
      planned,
      summary,
      description,
      url: pr.url,
      level: record.level.id,
      emergency,
      signedOffBy: record.signer,
    });
  }
  return events.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
}

/** An iCalendar feed (RFC 5545) of the events. */
export function calendarIcs(name: string, events: readonly CalendarEvent[]): string {
  const calendar = ical({ name, prodId: { company: 'Change Control', product: 'change-calendar', language: 'EN' }, method: ICalCalendarMethod.PUBLISH });
  for (const e of events) {
    calendar.createEvent({
      id: e.uid,
      start: e.start,
      end: new Date(e.start.getTime() + DEFAULT_MINUTES * 60_000),
      summary: e.summary,
      description: e.description,
      url: e.url,
      categories: [{ name: e.level }, ...(e.emergency ? [{ name: 'emergency' }] : [])],
    });
  }
  return calendar.toString();
}

export function calendarMarkdown(name: string, events: readonly CalendarEvent[]): string {
  const out = [`# ${name}`, ''];
  if (events.length === 0) out.push('No signed-off changes in this period.');
  else {
    out.push('| When | Change | Level | Signed off by |', '|---|---|---|---|');
    for (const e of events) {
      const when = `${e.start.toISOString().replace('T', ' ').slice(0, 16)} UTC${e.planned ? ' (planned)' : ''}`;
      out.push(`| ${when} | [${e.summary.replace(/\|/g, '\\|')}](${e.url}) | ${e.emergency ? '🚨 ' : ''}${e.level} | ${e.signedOffBy ? `@${e.signedOffBy}` : '—'} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
