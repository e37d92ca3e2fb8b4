// The gate's verdict as people read it: the markdown a CI job writes to its summary (and prints),
// and the JSON a script reads. Strings only; the door decides where they go.
import type { Assessment } from '../assessment';
import type { GateVerdict } from '../signoff/verify';

export interface GateJson {
  pass: boolean;
  level: string;
  exceptions: string[];
  messages: string[];
  signoff: { by: string; at: string; url: string | null; verified: boolean } | null;
}

export function gateJson(v: GateVerdict): GateJson {
  return {
    pass: v.pass,
    level: v.level.id,
    exceptions: [...new Set(v.findings.map((f) => f.id))],
    messages: v.findings.map((f) => f.message),
    signoff: v.signoff ? { by: v.signoff.by, at: v.signoff.at, url: v.signoff.url, verified: v.signoff.verified } : null,
  };
}

export function gateMarkdown(v: GateVerdict, a: Assessment, pr: { number: number; url: string; headSha: string }): string {
  const out: string[] = [];
  out.push(`## Change Control gate: ${v.pass ? '✅ passed' : '❌ failed'} — ${a.level.title}`, '');
  out.push(`Pull request [#${pr.number}](${pr.url}) at \`${pr.headSha.slice(0, 7)}\`, compared with \`${a.base.ref.slice(0, 12)}\` · policy ${a.policy.source.kind === 'file' ? `\`${a.policy.source.path}\` as on the base` : `preset ${a.policy.source.name}`}.`, '');
  if (a.reasons.length) {
    out.push(`**Why ${a.level.title.toLowerCase()}:**`, '');
    for (const r of a.reasons.slice(0, 30)) out.push(`- ${r.label}${r.path ? ` — \`${r.path}${r.line ? `:${r.line}` : ''}\`` : ''}`);
    if (a.reasons.length > 30) out.push(`- … and ${a.reasons.length - 30} more`);
    out.push('');
  }
  if (v.signoff) {
    const link = v.signoff.url ? ` ([change record](${v.signoff.url}))` : '';
    out.push(v.signoff.verified ? `**Sign-off:** verified — @${v.signoff.by} at ${v.signoff.at}${link}.` : `**Sign-off:** by @${v.signoff.by} at ${v.signoff.at}${link}, **not verified**.`, '');
  } else if (v.signoffRequired) {
    out.push('**Sign-off:** none.', '');
  } else {
    out.push(`**Sign-off:** not required at ${a.level.title}.`, '');
  }
  if (v.findings.length) {
    out.push('**What is wrong, and what to do:**', '');
    for (const f of v.findings) out.push(`- \`${f.id}\` ${f.message}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
