// `change-control calendar`: the change calendar of a period — every signed-off change merged into
// the base, from its change record — as an iCalendar feed (.ics) to subscribe to, or markdown.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { calendarEvents, calendarIcs, calendarMarkdown } from '../../core/report/calendar';
import { gatherCalendar } from '../../node/calendar';
import { DIR_OPTION, parse, usageError } from '../args';
import { commandHelp, type CliCommand } from '../command';
import { PERIOD_HELP, PERIOD_OPTIONS, periodContext } from '../period';

const FORMATS = ['ics', 'markdown'];

export const calendar: CliCommand = {
  name: 'calendar',
  summary: 'The change calendar: signed-off changes merged in a period, as iCalendar or markdown',
  synopsis: ['calendar --since DATE [--until DATE] [--base BRANCH] [--format ics|markdown] [--out FILE]\n[--repo OWNER/NAME] [-C DIR]'],
  options: `${PERIOD_HELP}  --format FORMAT     ics (default) or markdown
  --out FILE          Write it to FILE instead of stdout
  -C DIR              Run as if started in DIR
`,
  exitCodes: '0 written; 2 usage, git or GitHub error.',
  run: async (args, io) => {
    const { values } = parse(args, { ...DIR_OPTION, ...PERIOD_OPTIONS, format: { type: 'string', default: 'ics' }, out: { type: 'string' } });
    if (values.help) {
      io.stdout(commandHelp(calendar));
      return 0;
    }
    const format = values.format as string;
    if (!FORMATS.includes(format)) throw usageError('calendar', `--format ${format}: expected ics or markdown.`);
    const { cwd, repo, base, since, until, github } = await periodContext('calendar', io, values, { now: new Date() });
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

