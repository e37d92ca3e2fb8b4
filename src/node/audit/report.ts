// One audit report, from the period to the written chunks: the entries go to the spool as the
// audit makes them and into the summary, then the report (of the whole population, or of its
// reproducible sample) is written in order, one entry at a time. The CLI and the editor both
// write reports through this.
import { AuditSummaryBuilder, type AuditHeader, type AuditSummary } from '../../core/audit/audit';
import { SAMPLE_GENERATOR, drawSample } from '../../core/audit/sample';
import { renderAudit, type AuditFormat } from '../../core/report/auditReport';
import { runAudit, type AuditOptions } from './audit';
import { AuditSpool } from './spool';

export interface AuditReportOptions extends Omit<AuditOptions, 'onEntry'> {
  format: AuditFormat;
  sample?: { size: number; seed: number };
  tool: { name: string; version: string };
  /** Each chunk of the report, in order. */
  write: (chunk: string) => void | Promise<void>;
}

export async function writeAuditReport(o: AuditReportOptions): Promise<{ summary: AuditSummary; header: AuditHeader }> {
  const spool = new AuditSpool();
  try {
    const summary = new AuditSummaryBuilder();
    const context = await runAudit({
      ...o,
      onEntry: (entry) => {
        spool.add(entry);
        summary.add(entry);
      },
    });
    const keys = spool.keys();
    const chosen = o.sample ? drawSample(keys, o.sample.size, o.sample.seed) : undefined;
    const header: AuditHeader = {
      ...context,
      repository: `${o.repository.owner}/${o.repository.name}`,
      base: o.base,
      period: { since: o.since.toISOString(), until: o.until.toISOString() },
      generatedAt: o.now().toISOString(),
      tool: o.tool,
      sample: o.sample ? { size: chosen!.size, of: keys.length, seed: o.sample.seed, generator: SAMPLE_GENERATOR } : null,
    };
    const value = summary.value();
    for await (const chunk of renderAudit(o.format, header, value, spool.entries(chosen))) await o.write(chunk);
    return { summary: value, header };
  } finally {
    spool.dispose();
  }
}
