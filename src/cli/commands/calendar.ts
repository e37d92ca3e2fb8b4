// `change-control calendar`: the change calendar of a period — every signed-off change merged into
// the base, from its change record — as an iCalendar feed (.ics) to subscribe to, or markdown.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspectRepository } from '../../core/change/change';
import { ChangeControlError } from '../../core/errors';
import { apiUrlForHost, parseRepoSlug } from '../../core/github/remote';
import { calendarEvents, calendarIcs, calendarMarkdown } from '../../core/report/calendar';
import { githubRepository } from '../../core/signoff/gather';
import { gatherCalendar } from '../../node/calendar';
import { createGit } from '../../node/git';
import { connectGitHub } from '../../node/github/connect';
import { DIR_OPTION, parse, usageError, workingDirectory } from '../args';
import { commandHelp, type CliCommand } from '../command';

const FORMATS = ['ics', 'markdown'];

export const calendar: CliCommand = {
  name: 'calendar',
  summary: 'The change calendar: signed-off changes merged in a period, as iCalendar or markdown',
  synopsis: ['calendar --since DATE [--until DATE] [--base BRANCH] [--format ics|markdown] [--out FILE]\n[--repo OWNER/NAME] [-C DIR]'],
  options: `  --since DATE        The period's start, e.g. 2026-11-01
  --until DATE        Its end (default: now); a plain date includes that whole day
  --base BRANCH       The branch changes merge into (default: origin's default branch, else main)
  --format FORMAT     ics (default) or markdown
  --out FILE          Write it to FILE instead of stdout
  --repo OWNER/NAME   The repository (default: from the origin remote)
  -C DIR              Run as if started in DIR
`,
  exitCodes: '0 written; 2 usage, git or GitHub error.',
  run: async (args, io) => {
    const { values } = parse(args, { ...DIR_OPTION, since: { type: 'string' }, until: { type: 'string' }, base: { type: 'string' }, format: { type: 'string', default: 'ics' }, out: { type: 'string' }, repo: { type: 'string' } });
    if (values.help) {
      io.stdout(commandHelp(calendar));
      return 0;
    }
    const format = values.format as string;
    if (!FORMATS.includes(format)) throw usageError('calendar', `--format ${format}: expected ics or markdown.`);
    if (values.since === undefined) throw usageError('calendar', 'calendar: give the period with --since DATE (e.g. --since 2026-11-01).');
    const since = date(values.since as string, '--since', false);
    const until = values.until === undefined ? new Date() : date(values.until as string, '--until', true);
    if (until < since) throw usageError('calendar', `--until ${String(values.until)} is before --since ${String(values.since)}.`);
    const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN;
    if (!token) throw new ChangeControlError('GITHUB_NO_TOKEN', 'No GitHub token: set GITHUB_TOKEN (or GH_TOKEN), e.g. GITHUB_TOKEN=$(gh auth token) change-control calendar --since 2026-11-01.');
    const cwd = workingDirectory(io, values.C);
    const git = createGit((await inspectRepository(createGit(cwd))).root);
    const slug = values.repo as string | undefined;
    const named = slug ? parseRepoSlug(slug) : undefined;
    if (slug && !named) throw usageError('calendar', `"${slug}" is not a GitHub repository: give it as OWNER/NAME.`);
    const found = named ? { ...named, host: null } : await githubRepository(git);
    const repo = { owner: found.owner, name: found.name };
    const base = (values.base as string | undefined) ?? (await defaultBranch(git));
    const github = await connectGitHub({ token, baseUrl: io.env.GITHUB_API_URL || apiUrlForHost(found.host ?? 'github.com') });
    const entries = await gatherCalendar(github, repo, base, since, until, (m) => io.stderr(`change-control: ${m}\n`));
    const events = calendarEvents(`${repo.owner}/${repo.name}`, entries);
    const name = `Changes to ${repo.owner}/${repo.name} (${base})`;
    const text = format === 'ics' ? calendarIcs(name, events) : calendarMarkdown(name, events);
    const unsigned = entries.filter((e) => e.record === null).length;
    if (values.out) {
      writeFileSync(path.resolve(cwd, values.out as string), text);
      io.stderr(`change-control: ${events.length} signed-off change${events.length === 1 ? '' : 's'} written to ${String(values.out)}${unsigned ? `; ${unsigned} merged without a change record (see change-control audit)` : ''}.\n`);
    } else {
      io.stdout(text);
      if (unsigned) io.stderr(`change-control: ${unsigned} pull request${unsigned === 1 ? '' : 's'} merged without a change record ${unsigned === 1 ? 'is' : 'are'} not in the calendar.\n`);
    }
    return 0;
  },
};

function date(text: string, option: string, endOfDay: boolean): Date {
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = Date.parse(plain ? `${text}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z` : text);
  if (Number.isNaN(at)) throw usageError('calendar', `${option} ${text}: expected a date such as 2026-11-01 or 2026-11-01T09:00Z.`);
  return new Date(at);
}

async function defaultBranch(git: ReturnType<typeof createGit>): Promise<string> {
  const out = await git.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { okExitCodes: [1, 128] });
  const ref = out.stdout.toString('utf8').trim();
  return out.exitCode === 0 && ref.startsWith('origin/') ? ref.slice('origin/'.length) : 'main';
}
