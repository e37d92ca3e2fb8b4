// Owns the markdown rendering of an assessment, for pull-request comments and CI summaries.
import type { Assessment } from '../assessment';
import { groupReasons, headlineTagText, STATE_MARK } from './summary';

export function toMarkdown(a: Assessment): string {
  const out: string[] = [];
  const tags = headlineTagText(a);
  out.push(`### Change Control: **${a.level.title}**${tags ? ` · ${tags}` : ''}`);
  out.push('');
  const policy = a.policy.source.kind === 'file' ? `\`${a.policy.source.path}\`` : `built-in preset \`${a.policy.source.name}\``;
  out.push(`${a.files.length} file${a.files.length === 1 ? '' : 's'} changed since \`${a.base.sha.slice(0, 7)}\` (${escape(a.base.ref)}); policy: ${policy}.`);
  if (a.base.note) out.push('', `> ${escape(a.base.note)}`);
  if (a.emergency) out.push('', `> **Emergency change** declared by ${escape(a.emergency.by)}: ${escape(a.emergency.reason)}${a.emergency.reviewDue ? ` (post-implementation review due ${a.emergency.reviewDue})` : ''}`);
  if (a.freeze) out.push('', `> **Freeze window:** ${escape(a.freeze.title)} (${a.freeze.from} – ${a.freeze.until}), ${a.freeze.mode === 'block' ? 'no change may ship' : 'emergency changes only'}.`);
  const groups = groupReasons(a);
  if (groups.length) {
    out.push('', `#### Why this change is ${a.level.title.toLowerCase()}`, '');
    for (const g of groups) {
      const more = g.count > 1 ? ` (and ${g.count - 1} more file${g.count > 2 ? 's' : ''})` : '';
      out.push(`- ${escape(g.reason.message)}${more}`);
    }
  }
  if (a.checklist.length) {
    out.push('', '#### Checklist', '', '| | Item | Why |', '|---|---|---|');
    for (const c of a.checklist) {
      out.push(`| ${STATE_MARK[c.state]} | ${escape(c.title)}${c.required ? '' : ' _(optional)_'} | ${escape(c.why)} |`);
    }
  }
  if (a.migrations.length) {
    out.push('', '#### Migrations', '');
    for (const m of a.migrations) {
      const ops = m.operations.filter((o) => o.direction === 'forward').map((o) => `\`${o.kind}\``);
      out.push(`- \`${m.path}\` (${m.framework}): ${m.columnsOnly ? 'columns only' : '**beyond adding and removing columns**'}${ops.length ? ` — ${[...new Set(ops)].join(', ')}` : ''}`);
    }
  }
  for (const n of a.notes) out.push('', `_${escape(n)}_`);
  return `${out.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
