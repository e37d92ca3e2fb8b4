// The audit report in its four formats: JSON and CSV for GRC tools and spreadsheets, markdown and
// HTML for people. Each is written as a stream of chunks from the header, the summary (of the
// whole population) and the entries (the population, or the sample), so that a period with ten
// thousand pull requests is never held in memory. The exception ids are EXCEPTIONS', in every format.
import { AUDIT_FORMAT, AUDIT_VERSION, type AuditEntry, type AuditHeader, type AuditPullRequest, type AuditSummary } from '../audit/audit';
import { EXCEPTIONS, EXCEPTION_IDS } from '../audit/exceptions';
import { auditChartSvg, chartLegend } from './auditChart';
import { escapeHtml } from './html';

export const AUDIT_FORMATS = ['markdown', 'csv', 'json', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export type Entries = Iterable<AuditEntry> | AsyncIterable<AuditEntry>;

export function renderAudit(format: AuditFormat, header: AuditHeader, summary: AuditSummary, entries: Entries): AsyncGenerator<string> {
  switch (format) {
    case 'json':
      return auditJson(header, summary, entries);
    case 'csv':
      return auditCsv(entries);
    case 'markdown':
      return auditMarkdown(header, summary, entries);
    case 'html':
      return auditHtml(header, summary, entries);
  }
}

const VERDICT_TITLES = { compliant: 'Compliant', 'signed-off-not-verifiable': 'Signed off, not verifiable', exceptions: 'With exceptions' } as const;

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** The period as people read it: whole days as dates, other bounds to the minute (UTC). */
function periodText(h: AuditHeader): string {
  const bound = (iso: string) => (/T(00:00:00\.000|23:59:59\.999)Z$/.test(iso) ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`);
  return `${bound(h.period.since)} – ${bound(h.period.until)}`;
}

function scope(h: AuditHeader, s: AuditSummary): string {
  const total = s.pullRequests + s.directPushes;
  return h.sample ? `a sample of ${h.sample.size} of ${h.sample.of} changes (seed ${h.sample.seed}; ${h.sample.generator})` : `all ${total} changes`;
}

// ---- JSON ---------------------------------------------------------------------------------------

async function* auditJson(h: AuditHeader, summary: AuditSummary, entries: Entries): AsyncGenerator<string> {
  const head = {
    format: AUDIT_FORMAT,
    version: AUDIT_VERSION,
    repository: h.repository,
    base: h.base,
    baseSha: h.baseSha,
    period: h.period,
    generatedAt: h.generatedAt,
    tool: h.tool,
    population: h.population,
    sample: h.sample,
    summary,
    exceptionIds: EXCEPTIONS,
    configuration: h.configuration,
  };
  yield JSON.stringify(head, null, 2).replace(/\n}$/, ',\n  "pullRequests": [');
  let first = true;
  const pushes: string[] = [];
  for await (const e of entries) {
    const { kind, ...rest } = e;
    void kind;
    const text = `\n    ${JSON.stringify(rest)}`;
    if (e.kind === 'direct-push') {
      pushes.push(text);
      continue;
    }
    yield `${first ? '' : ','}${text}`;
    first = false;
  }
  // Direct pushes come after the pull requests in every entry stream; they are few.
  yield `\n  ],\n  "directPushes": [${pushes.join(',')}\n  ]\n}\n`;
}

// ---- CSV ----------------------------------------------------------------------------------------

const CSV_COLUMNS = ['type', 'number', 'sha', 'title', 'author', 'merged_at', 'merged_by', 'merge_method', 'head_sha', 'level', 'zones', 'approvals', 'signoff_by', 'signoff_at', 'signoff_commit', 'signoff_verified', 'emergency_reason', 'emergency_review', 'emergency_follow_up', 'verdict', 'compliant', 'exceptions', 'url'];

async function* auditCsv(entries: Entries): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const e of entries) {
    const row =
      e.kind === 'pull-request'
        ? [
            'pull-request',
            String(e.number),
            e.mergeCommitSha,
            e.title,
            e.author,
            e.mergedAt,
            e.mergedBy ?? '',
            e.mergeMethod,
            e.headSha,
            e.level.id,
            e.zones.join(' '),
            approvalsText(e),
            e.signoff?.by ?? '',
            e.signoff?.at ?? '',
            e.signoff?.commit ?? '',
            e.signoff ? String(e.signoff.verified) : '',
            e.emergency?.reason ?? '',
            e.emergency?.review ?? '',
            e.emergency?.followUp?.url ?? '',
            e.verdict,
            String(e.compliant),
            e.exceptions.join(' '),
            e.url,
          ]
        : ['direct-push', '', e.sha, e.subject, e.author, e.committedAt, e.committer, '', e.sha, '', '', '', '', '', '', '', '', '', '', e.verdict, 'false', e.exceptions.join(' '), ''];
    yield `${row.map(csvCell).join(',')}\r\n`;
  }
}

function approvalsText(e: AuditPullRequest): string {
  return e.approvals.map((a) => `${a.reviewer}@${a.commit.slice(0, 7)} ${a.at}${a.byAuthor ? ' (author)' : a.canWrite === false ? ' (no write access)' : ''}`).join('; ');
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// ---- markdown -----------------------------------------------------------------------------------

function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;');
}

async function* auditMarkdown(h: AuditHeader, s: AuditSummary, entries: Entries): AsyncGenerator<string> {
  const total = s.pullRequests + s.directPushes;
  const out: string[] = [];
  out.push(`# Change-control audit: ${h.repository} (${h.base})`, '');
  out.push(`Period: ${periodText(h)} · generated ${h.generatedAt} by ${h.tool.name} ${h.tool.version} · base at \`${h.baseSha.slice(0, 12)}\`.`, '');
  out.push('## Population', '', `- ${h.population.pullRequests}`, `- ${h.population.directPushes}`, '', `This report lists ${scope(h, s)}; the summary is of the whole population.`, '');
  out.push('## Summary', '', `${total} changes: ${s.pullRequests} pull requests and ${s.directPushes} direct pushes. Exception rate: **${percent(s.exceptionRate)}**.`, '');
  out.push('| Level | Changes | With exceptions |', '|---|---:|---:|');
  for (const l of s.byLevel) out.push(`| ${md(l.title)} | ${l.count} | ${l.withExceptions} |`);
  if (s.directPushes) out.push(`| Direct push | ${s.directPushes} | ${s.directPushes} |`);
  out.push('', '| Verdict | Changes |', '|---|---:|');
  for (const [v, title] of Object.entries(VERDICT_TITLES)) out.push(`| ${title} | ${s.byVerdict[v as keyof typeof VERDICT_TITLES]} |`);
  out.push('', '| Exception | Changes | Meaning |', '|---|---:|---|');
  for (const id of EXCEPTION_IDS) out.push(`| \`${id}\` | ${s.byException[id]} | ${EXCEPTIONS[id]} |`);
  out.push('', '## Changes', '', '| Change | Merged | Author | Level | Approvals | Sign-off | Verdict |', '|---|---|---|---|---|---|---|');
  yield `${out.join('\n')}\n`;
  const details: string[] = [];
  for await (const e of entries) {
    if (e.kind === 'pull-request') {
      const approvals = e.approvals.length ? e.approvals.map((a) => `@${a.reviewer}${a.onFinalHead ? '' : ` (on ${a.commit.slice(0, 7)})`}${a.byAuthor ? ' (author)' : ''}`).join(', ') : '—';
      const signoff = e.signoff ? `@${e.signoff.by} ${e.signoff.verified ? '✔ verified' : '✘ not verified'}` : '—';
      yield `| [#${e.number}](${e.url}) ${md(e.title)} | ${e.mergedAt.slice(0, 10)} by ${e.mergedBy ? `@${e.mergedBy}` : '?'} (${e.mergeMethod}) | @${e.author} | ${md(e.level.title)}${e.emergency ? ' 🚨' : ''} | ${approvals} | ${signoff} | ${verdictCell(e)} |\n`;
      if (e.findings.length) details.push(`- **#${e.number}** ${md(e.title)}`, ...e.findings.map((f) => `  - \`${f.id}\` ${md(f.message)}`));
    } else {
      yield `| \`${e.sha.slice(0, 7)}\` ${md(e.subject)} | ${e.committedAt.slice(0, 10)} by ${md(e.committer)} (direct push) | ${md(e.author)} | — | — | — | ${verdictCell(e)} |\n`;
      details.push(`- **${e.sha.slice(0, 7)}** ${md(e.subject)}`, ...e.findings.map((f) => `  - \`${f.id}\` ${md(f.message)}`));
    }
  }
  const tail: string[] = ['', '## Exceptions in detail', ''];
  tail.push(...(details.length ? details : ['None.']));
  tail.push('', '## Configuration as of the report', '', `Read at ${h.configuration.asOf}.`, '');
  tail.push(...configurationMarkdown(h));
  yield `${tail.join('\n')}\n`;
}

function verdictCell(e: AuditEntry): string {
  const ids = e.exceptions.map((x) => `\`${x}\``).join(' ');
  return e.compliant ? '✅ compliant' : e.verdict === 'signed-off-not-verifiable' ? `⚠️ signed off, not verifiable ${ids}` : `❌ ${ids}`;
}

function fence(text: string, lang = ''): string[] {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [`${ticks}${lang}`, text.replace(/\n$/, ''), ticks];
}

function configurationMarkdown(h: AuditHeader): string[] {
  const c = h.configuration;
  const out: string[] = [];
  if ('text' in c.policy) out.push(`**Policy** (\`${c.policy.path}\`):`, '', ...fence(c.policy.text, 'yaml'), '');
  else out.push(`**Policy:** the built-in preset ${c.policy.preset} (no policy file).`, '');
  if (c.codeOwners) out.push(`**CODEOWNERS** (\`${c.codeOwners.path}\`):`, '', ...fence(c.codeOwners.text), '');
  else out.push('**CODEOWNERS:** none.', '');
  out.push(`**Rules in force on ${h.base}:**`, '', ...fence(JSON.stringify(c.branch.rules, null, 2), 'json'), '');
  const p = c.branch.protection;
  out.push(`**Branch protection of ${h.base}:** ${p.state === 'protected' ? '' : p.state === 'not-protected' ? 'not protected.' : `could not be read: ${p.why}.`}`, '');
  if (p.state === 'protected') out.push(...fence(JSON.stringify(p.settings, null, 2), 'json'), '');
  return out;
}

// ---- HTML ---------------------------------------------------------------------------------------

const STYLE = `
body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;background:#fff;margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;margin:0 0 12px}table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.tiles{display:flex;gap:12px;flex-wrap:wrap}.tile{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:120px}.tile b{display:block;font-size:22px}
.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
.legend{list-style:none;padding:0;display:flex;gap:14px;margin:4px 0}.swatch{display:inline-block;width:11px;height:11px;margin-right:5px;border-radius:2px;vertical-align:-1px}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:360px;font-size:12px}details{margin:8px 0}ul.findings{margin:2px 0;padding-left:18px}
@media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}th{background:#161b22}th,td,.tile{border-color:#30363d}pre,code{background:#161b22}.meta{color:#8d96a0}}
`;

async function* auditHtml(h: AuditHeader, s: AuditSummary, entries: Entries): AsyncGenerator<string> {
  const e = escapeHtml;
  const total = s.pullRequests + s.directPushes;
  const out: string[] = [];
  out.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">');
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>Change-control audit: ${e(h.repository)} (${e(h.base)})</title><style>${STYLE}</style></head><body>`);
  out.push(`<h1>Change-control audit: ${e(h.repository)} <small>(${e(h.base)})</small></h1>`);
  out.push(`<p class="meta">Period ${e(periodText(h))} · generated ${e(h.generatedAt)} by ${e(h.tool.name)} ${e(h.tool.version)} · base at <code>${e(h.baseSha.slice(0, 12))}</code></p>`);
  out.push('<section id="summary"><h2>Summary</h2><div class="tiles">');
  const tile = (field: string, label: string, value: string | number, cls = '') => `<div class="tile"><b class="${cls}" data-summary="${field}">${e(String(value))}</b>${e(label)}</div>`;
  out.push(tile('changes', 'changes', total), tile('pullRequests', 'pull requests', s.pullRequests), tile('directPushes', 'direct pushes', s.directPushes, s.directPushes ? 'bad' : ''));
  out.push(tile('compliant', 'compliant', s.byVerdict.compliant, 'ok'), tile('exceptions', 'with exceptions', s.byVerdict.exceptions, s.byVerdict.exceptions ? 'bad' : ''), tile('signed-off-not-verifiable', 'signed off, not verifiable', s.byVerdict['signed-off-not-verifiable'], 'warn'));
  out.push(tile('exceptionRate', 'exception rate', percent(s.exceptionRate)), '</div>');
  out.push('<h2>Changes per week</h2>', chartLegend(s), auditChartSvg(s));
  out.push('<div class="tiles"><table id="by-level"><thead><tr><th>Level</th><th>Changes</th><th>With exceptions</th></tr></thead><tbody>');
  for (const l of s.byLevel) out.push(`<tr data-level="${e(l.id)}"><td>${e(l.title)}</td><td class="n" data-count>${l.count}</td><td class="n">${l.withExceptions}</td></tr>`);
  out.push('</tbody></table><table id="by-exception"><thead><tr><th>Exception</th><th>Changes</th><th>Meaning</th></tr></thead><tbody>');
  for (const id of EXCEPTION_IDS) out.push(`<tr data-exception="${id}"><td><code>${id}</code></td><td class="n" data-count>${s.byException[id]}</td><td>${e(EXCEPTIONS[id])}</td></tr>`);
  out.push('</tbody></table></div></section>');
  out.push(`<section id="population"><h2>Population</h2><ul><li>${e(h.population.pullRequests)}</li><li>${e(h.population.directPushes)}</li></ul><p>This report lists ${e(scope(h, s))}; the summary is of the whole population.</p></section>`);
  out.push('<section id="changes"><h2>Changes</h2><table><thead><tr><th>Change</th><th>Merged</th><th>Author</th><th>Level</th><th>Approvals</th><th>Sign-off</th><th>Emergency</th><th>Verdict</th></tr></thead><tbody>');
  yield out.join('\n');
  for await (const x of entries) {
    const verdictClass = x.compliant ? 'ok' : x.verdict === 'signed-off-not-verifiable' ? 'warn' : 'bad';
    const verdict = `<td class="${verdictClass}" data-verdict="${x.verdict}">${x.compliant ? 'Compliant' : `${x.verdict === 'signed-off-not-verifiable' ? 'Signed off, not verifiable ' : ''}${x.exceptions.map((id) => `<code>${id}</code>`).join(' ')}`}${x.findings.length ? `<ul class="findings">${x.findings.map((f) => `<li>${e(f.message)}</li>`).join('')}</ul>` : ''}</td>`;
    if (x.kind === 'pull-request') {
      const approvals = x.approvals.length ? x.approvals.map((a) => `@${e(a.reviewer)} ${e(a.at.slice(0, 16).replace('T', ' '))} on <code>${e(a.commit.slice(0, 7))}</code>${a.byAuthor ? ' (author)' : a.canWrite === false ? ' (no write access)' : ''}`).join('<br>') : '—';
      const signoff = x.signoff ? `@${e(x.signoff.by)} ${e(x.signoff.at.slice(0, 16).replace('T', ' '))}${x.signoff.url ? ` <a href="${e(x.signoff.url)}">record</a>` : ''} ${x.signoff.verified ? '<span class="ok">verified</span>' : '<span class="bad">not verified</span>'}` : '—';
      const emergency = x.emergency ? `${e(x.emergency.reason)}<br>review: ${x.emergency.followUp ? `<a href="${e(x.emergency.followUp.url)}">#${x.emergency.followUp.number}</a> ` : ''}${e(x.emergency.review)}` : '—';
      yield `\n<tr data-kind="pull-request" data-number="${x.number}" data-level="${e(x.level.id)}"><td><a href="${e(x.url)}">#${x.number}</a> ${e(x.title)}</td><td>${e(x.mergedAt.slice(0, 16).replace('T', ' '))}<br>by ${x.mergedBy ? `@${e(x.mergedBy)}` : '?'} (${x.mergeMethod})</td><td>@${e(x.author)}</td><td>${e(x.level.title)}${x.zones.length ? `<br><small>${e(x.zones.join(', '))}</small>` : ''}</td><td>${approvals}</td><td>${signoff}</td><td>${emergency}</td>${verdict}</tr>`;
    } else {
      yield `\n<tr data-kind="direct-push" data-sha="${x.sha}"><td><code>${x.sha.slice(0, 7)}</code> ${e(x.subject)}</td><td>${e(x.committedAt.slice(0, 16).replace('T', ' '))}<br>by ${e(x.committer)} (direct push)</td><td>${e(x.author)}</td><td>—</td><td>—</td><td>—</td><td>—</td>${verdict}</tr>`;
    }
  }
  const c = h.configuration;
  const tail: string[] = ['</tbody></table></section>', `<section id="configuration"><h2>Configuration as of the report</h2><p class="meta">Read at ${e(c.asOf)}.</p>`];
  tail.push('text' in c.policy ? `<details open><summary>Policy <code>${e(c.policy.path)}</code></summary><pre>${e(c.policy.text)}</pre></details>` : `<p>Policy: the built-in preset ${e(c.policy.preset)} (no policy file).</p>`);
  tail.push(c.codeOwners ? `<details><summary>CODEOWNERS <code>${e(c.codeOwners.path)}</code></summary><pre>${e(c.codeOwners.text)}</pre></details>` : '<p>CODEOWNERS: none.</p>');
  tail.push(`<details><summary>Rules in force on ${e(h.base)}</summary><pre>${e(JSON.stringify(c.branch.rules, null, 2))}</pre></details>`);
  const p = c.branch.protection;
  tail.push(p.state === 'protected' ? `<details><summary>Branch protection of ${e(h.base)}</summary><pre>${e(JSON.stringify(p.settings, null, 2))}</pre></details>` : `<p>Branch protection of ${e(h.base)}: ${p.state === 'not-protected' ? 'not protected' : `could not be read: ${e(p.why)}`}.</p>`);
  tail.push('</section></body></html>\n');
  yield tail.join('\n');
}
