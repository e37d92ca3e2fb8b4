// Owns how a period is written: the dates the audit and the calendar take, from the terminal
// (--since/--until) and from the editor's prompt alike.

/** A date such as 2026-11-01 (the start of that day, or with `endOfDay` its end, UTC) or an ISO instant; undefined when it is neither. */
export function parsePeriodDate(text: string, endOfDay: boolean): Date | undefined {
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  const at = Date.parse(plain ? `${text.trim()}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z` : text.trim());
  return Number.isNaN(at) ? undefined : new Date(at);
}

export const PERIOD_EXAMPLE = '2026-11-01 or 2026-11-01T09:00Z';

/** Whether a pull request merged within the period, both ends included: the audit's and the calendar's one rule. */
export function mergedWithin(pr: { mergedAt: string | null }, since: Date, until: Date): boolean {
  const at = Date.parse(pr.mergedAt ?? '');
  return !Number.isNaN(at) && at >= since.getTime() && at <= until.getTime();
}
