// Owns the change record: what a sign-off writes on the pull request for reviewers and auditors,
// rendered as markdown with a versioned machine-readable copy that the CI gate and the audit parse
// back. Rendering and parsing live together so that they cannot drift (a round trip is tested).
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const CHANGE_RECORD_VERSION = 1;
/** Finds the comment again: one per signer and pull request, updated in place. */
export const CHANGE_RECORD_MARKER = '<!-- change-control:change-record -->';
const DATA_PREFIX = '<!-- change-control:data:v';
/** GitHub refuses a comment body longer than this. */
export const COMMENT_LIMIT = 65_536;

const Sha = z.string().regex(/^[0-9a-f]{40,64}$/);

const ItemEvidence = z.looseObject({
  command: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  durationMs: z.number().nonnegative().optional(),
  commit: z.string().nullable().optional(),
  at: z.string().optional(),
  by: z.string().optional(),
  approvals: z.array(z.looseObject({ reviewer: z.string(), commit: z.string(), at: z.string(), url: z.string().optional() })).optional(),
  threads: z.looseObject({ total: z.number().int(), open: z.number().int() }).optional(),
});

export const ChangeRecordSchema = z.looseObject({
  format: z.literal('change-control/change-record'),
  version: z.number().int().min(1),
  repository: z.string(),
  pullRequest: z.looseObject({ number: z.number().int(), url: z.string() }).nullable(),
  head: Sha,
  tree: Sha,
  base: z.looseObject({ ref: z.string(), sha: z.string() }),
  level: z.looseObject({ id: z.string(), title: z.string() }),
  emergency: z.looseObject({ reason: z.string(), declaredAt: z.string(), declaredBy: z.string(), reviewDue: z.string().nullable() }).nullable(),
  reasons: z.array(z.looseObject({ rule: z.string(), label: z.string(), path: z.string().nullable(), line: z.number().int().nullable(), message: z.string() })),
  /** How many reasons were left out to keep the comment under GitHub's limit. */
  reasonsOmitted: z.number().int().min(0).default(0),
  checklist: z.array(
    z.looseObject({
      id: z.string(),
      title: z.string(),
      kind: z.string(),
      required: z.boolean(),
      state: z.string(),
      why: z.string(),
      evidence: ItemEvidence.optional(),
    }),
  ),
  changeRequest: z.array(z.looseObject({ id: z.string(), title: z.string(), value: z.string() })),
  signer: z.string(),
  signedAt: z.string(),
  policy: z.looseObject({ source: z.string(), name: z.string().nullable() }),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
});

export type ChangeRecord = z.output<typeof ChangeRecordSchema>;

/** The record's digest: sha256 of its canonical JSON (keys sorted), hex. The status carries its first 8. */
export function recordDigest(record: ChangeRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export function shortDigest(record: ChangeRecord): string {
  return recordDigest(record).slice(0, 8);
}

/** The record as the same record at another time: two sign-offs of the same state are the same record. */
export function sameRecord(a: ChangeRecord, b: ChangeRecord): boolean {
  return canonicalJson({ ...a, signedAt: '' }) === canonicalJson({ ...b, signedAt: '' });
}

/**
 * The comment body: what reviewers read, then the machine copy. Long records keep GitHub's limit by
 * leaving reasons out of both (counted in `reasonsOmitted`); a record that still does not fit is
 * refused, saying what to shorten.
 */
export function renderChangeRecord(input: ChangeRecord): string {
  let record = input;
  for (;;) {
    const body = `${renderHuman(record)}\n${DATA_PREFIX}${record.version}:${Buffer.from(canonicalJson(record), 'utf8').toString('base64')} -->\n`;
    if (body.length <= COMMENT_LIMIT) return body;
    if (record.reasons.length === 0) {
      throw new RangeError(
        `the change record is ${body.length} characters, more than the ${COMMENT_LIMIT} GitHub allows in a comment: shorten the change-request fields (nothing you typed was lost).`,
      );
    }
    const keep = Math.floor(record.reasons.length / 2);
    record = { ...record, reasons: record.reasons.slice(0, keep), reasonsOmitted: record.reasonsOmitted + record.reasons.length - keep };
  }
}

export type ParsedRecord = { ok: true; record: ChangeRecord; digest: string } | { ok: false; problem: string };

/** The machine copy of a comment body, validated; the last copy counts (text above it is people's). */
export function parseChangeRecord(body: string): ParsedRecord {
  if (!body.includes(CHANGE_RECORD_MARKER)) return { ok: false, problem: 'it is not a Change Control change record (no marker)' };
  const at = body.lastIndexOf(DATA_PREFIX);
  if (at < 0) return { ok: false, problem: 'its machine-readable copy is missing (the comment was edited)' };
  const m = /^(\d+):([A-Za-z0-9+/=]+) -->/.exec(body.slice(at + DATA_PREFIX.length));
  if (!m) return { ok: false, problem: 'its machine-readable copy is damaged (the comment was edited)' };
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(m[2], 'base64').toString('utf8'));
  } catch {
    return { ok: false, problem: 'its machine-readable copy is not valid JSON (the comment was edited)' };
  }
  const parsed = ChangeRecordSchema.safeParse(data);
  if (!parsed.success) return { ok: false, problem: `its machine-readable copy is not a change record: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  if (parsed.data.version !== Number(m[1])) return { ok: false, problem: 'its version marker and its content disagree (the comment was edited)' };
  return { ok: true, record: parsed.data, digest: recordDigest(parsed.data) };
}

const STATE_ICON: Record<string, string> = { done: '✅', pending: '⏳', failed: '❌', 'not-applicable': '➖' };

function renderHuman(r: ChangeRecord): string {
  const out: string[] = [CHANGE_RECORD_MARKER];
  const title = r.emergency ? `🚨 Emergency change record — ${text(r.level.title)}` : `Change record — ${text(r.level.title)}`;
  out.push(`## ${title}`, '');
  out.push(
    `**Signed off by @${r.signer}** on ${r.signedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} at commit \`${r.head.slice(0, 12)}\` (tree \`${r.tree.slice(0, 12)}\`), compared with \`${text(r.base.ref)}\` (\`${r.base.sha.slice(0, 12)}\`). Record digest \`${shortDigest(r)}\`.`,
  );
  if (r.emergency) {
    out.push('', `**Emergency path**, declared by ${text(r.emergency.declaredBy)} at ${r.emergency.declaredAt}: ${text(r.emergency.reason)}`);
    if (r.emergency.reviewDue) out.push(`The post-implementation review is due by ${r.emergency.reviewDue}.`);
  }
  out.push('', `### Why this change is ${text(r.level.title)}`, '');
  if (r.reasons.length === 0) out.push('- No zone, migration or component rule fired.');
  for (const reason of r.reasons) {
    const where = reason.path ? ` — \`${code(reason.path)}${reason.line ? `:${reason.line}` : ''}\`` : '';
    out.push(`- ${text(reason.label)}${where}`);
  }
  if (r.reasonsOmitted) out.push(`- … and ${r.reasonsOmitted} more (left out to stay within GitHub's comment limit)`);
  out.push('', '### Checklist', '', '| | Item | Evidence |', '|---|---|---|');
  for (const item of r.checklist) {
    out.push(`| ${STATE_ICON[item.state] ?? item.state} | ${cell(item.title)}${item.required ? '' : ' (optional)'} | ${cell(evidenceText(item))} |`);
  }
  if (r.changeRequest.length) {
    out.push('', '### Change request');
    for (const f of r.changeRequest) out.push('', `**${text(f.title)}**`, '', ...(f.value ? f.value.split(/\r?\n/).map((l) => `> ${text(l)}`) : ['> _(empty)_']));
  }
  out.push('', `<sub>Policy: ${text(r.policy.name ?? r.policy.source)} · recorded by ${r.tool.name} ${r.tool.version} · edit nothing below: the gate verifies this record.</sub>`);
  return out.join('\n');
}

function evidenceText(item: ChangeRecord['checklist'][number]): string {
  const e = item.evidence;
  if (e?.command !== undefined) {
    const secs = e.durationMs !== undefined ? ` in ${(e.durationMs / 1000).toFixed(1)} s` : '';
    return `\`${e.command}\` exit ${e.exitCode ?? 'none'}${secs} at ${(e.commit ?? '').slice(0, 7)} (${e.at ?? ''})`;
  }
  if (e?.approvals) return e.approvals.map((a) => `@${a.reviewer} approved ${a.commit.slice(0, 7)} at ${a.at}`).join('; ') || item.why;
  if (e?.by) return `confirmed by ${e.by} at ${e.at ?? ''}${e.commit ? ` (${e.commit.slice(0, 7)})` : ''}`;
  if (e?.threads) return `${e.threads.total} review thread${e.threads.total === 1 ? '' : 's'}, ${e.threads.open} open`;
  return item.why;
}

/** People's text in markdown: no HTML (a fake marker or comment), no accidental @-mentions of teams. */
function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cell(s: string): string {
  return text(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  return s.replace(/`/g, "'");
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
