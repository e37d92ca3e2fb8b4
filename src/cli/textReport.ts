// The CLI's text output for people: colour on a terminal, plain elsewhere and under NO_COLOR.
import type { Assessment } from '../core/assessment';
import { groupReasons, headlineTagText, STATE_MARK } from '../core/report/summary';

export interface Colours {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
}

export function colours(isTTY: boolean, env: NodeJS.ProcessEnv): Colours {
  const on = env.NO_COLOR === undefined || env.NO_COLOR === '' ? (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') || isTTY : false;
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39) };
}

export function renderText(a: Assessment, c: Colours): string {
  const out: string[] = [];
  const top = a.level.index === a.levels.length - 1 && a.levels.length > 1;
  const levelColour = a.level.index === 0 ? c.green : top ? c.red : c.yellow;
  const tags = headlineTagText(a);
  out.push(`${c.bold('Change Control:')} ${levelColour(c.bold(a.level.title))}${tags ? c.dim(` · ${tags}`) : ''}`);
  const source = a.policy.source;
  const policy = source.kind === 'file' ? source.path : source.chosen ? `preset ${source.name} (--preset)` : `preset ${source.name} (no policy file; \`change-control init\` writes one)`;
  // With --head the change is that commit's, whatever branch the working tree is on.
  const branch = a.head !== null ? `commit ${a.head.slice(0, 7)}` : (a.repository.branch ?? `detached HEAD at ${a.repository.headSha?.slice(0, 7) ?? 'no commit'}`);
  out.push(c.dim(`${branch} · ${a.files.length} file${a.files.length === 1 ? '' : 's'} changed since ${a.base.sha.slice(0, 7)} (${a.base.ref}) · policy: ${policy}`));
  if (a.base.note) out.push(c.yellow(a.base.note));
  if (a.emergency) out.push(c.red(`Emergency change declared by ${a.emergency.by}: ${a.emergency.reason}`));
  if (a.freeze) out.push(c.red(`Freeze: ${a.freeze.title} (${a.freeze.from} – ${a.freeze.until})`));

  const groups = groupReasons(a);
  if (groups.length) {
    out.push('', c.bold(`Why ${a.level.title.toLowerCase()}:`));
    for (const g of groups) {
      const more = g.count > 1 ? c.dim(` (+${g.count - 1} more file${g.count > 2 ? 's' : ''})`) : '';
      out.push(`  • ${g.reason.message}${more}`);
    }
  } else if (a.files.length === 0) {
    out.push('', 'No changes against the base.');
  }
  if (a.checklist.length) {
    out.push('', c.bold('Checklist:'));
    for (const item of a.checklist) {
      const mark = item.state === 'done' ? c.green(STATE_MARK.done) : item.state === 'failed' ? c.red(STATE_MARK.failed) : item.state === 'pending' ? c.yellow(STATE_MARK.pending) : c.dim(STATE_MARK['not-applicable']);
      out.push(`  ${mark} ${item.title}${item.required ? '' : c.dim(' (optional)')}`);
      out.push(c.dim(`      ${item.why}`));
    }
  }
  for (const n of a.notes) out.push('', c.dim(n));
  return `${out.join('\n')}\n`;
}
