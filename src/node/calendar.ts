// Gathers the change calendar: the pull requests merged into the base in a period, each with the
// change record of its final head. One page of pull requests at a time; only the events are kept.
import { mergedWithin } from '../core/audit/period';
import type { GitHubRepo } from '../core/github/facts';
import type { GitHub } from '../core/ports';
import type { CalendarEntry } from '../core/report/calendar';
import { CHANGE_RECORD_MARKER, parseChangeRecord } from '../core/signoff/changeRecord';

export async function gatherCalendar(github: GitHub, repo: GitHubRepo, base: string, since: Date, until: Date, progress?: (message: string) => void): Promise<CalendarEntry[]> {
  const entries: CalendarEntry[] = [];
  let seen = 0;
  for await (const pr of github.mergedPullRequests(repo, base, since)) {
    if (!mergedWithin(pr, since, until)) continue;
    if (++seen % 50 === 0) progress?.(`${seen} merged pull requests read…`);
    const comments = await github.issueComments(repo, pr.number);
    // The newest record that signs off the head that was merged.
    const record =
      comments
        .filter((c) => c.body.includes(CHANGE_RECORD_MARKER))
        .map((c) => parseChangeRecord(c.body))
        .flatMap((p) => (p.ok && p.record.head === pr.headSha ? [p.record] : []))
        .sort((a, b) => Date.parse(b.signedAt) - Date.parse(a.signedAt))[0] ?? null;
    entries.push({ pullRequest: pr, record });
  }
  return entries;
}
