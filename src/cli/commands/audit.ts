// `change-control audit`: the audit report of a period — every pull request merged into the base
// and every commit pushed to it without one, each with its verdict and the stable ids of its
// exceptions — as markdown, CSV, JSON or HTML, of the whole population or a reproducible sample.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { AUDIT_FORMATS, type AuditFormat } from '../../core/report/auditReport';
import { writeAuditReport } from '../../node/audit/report';
import { DIR_OPTION, parse, usageError } from '../args';
import { commandHelp, type CliCommand } from '../command';
import { PERIOD_HELP, PERIOD_OPTIONS, periodContext } from '../period';

declare const CHANGE_CONTROL_VERSION: string | undefined;

export const audit: CliCommand = {
  name: 'audit',
  summary: 'The audit report of a period: every merged change with its verdict and exceptions',
  synopsis: ['audit --since DATE [--until DATE] [--base BRANCH] [--format markdown|csv|json|html] [--out FILE]\n[--sample N --seed S] [--policy FILE] [--repo OWNER/NAME] [-C DIR]'],
  options: `${PERIOD_HELP}  --format FORMAT     markdown (default), csv, json or html
  --out FILE          Write it to FILE instead of stdout
  --sample N          List a reproducible random sample of N changes (the summary stays the whole period's)
  --seed S            The sample's seed, a whole number (required with --sample)
  --policy FILE       The policy file's path, read as it was on the base when each change merged
  -C DIR              Run as if started in DIR

  The token (GITHUB_TOKEN or GH_TOKEN) needs read access to the repository; read:org to see the
  signer teams; admin to read the branch protection for the configuration snapshot.
`,
  exitCodes: '0 written (whatever the verdicts); 2 usage, git, policy or GitHub error.',
  run: async (args, io) => {
    const { values } = parse(args, { ...DIR_OPTION, ...PERIOD_OPTIONS, format: { type: 'string', default: 'markdown' }, out: { type: 'string' }, sample: { type: 'string' }, seed: { type: 'string' }, policy: { type: 'string' } });
    if (values.help) {
      io.stdout(commandHelp(audit));
      return 0;
    }
    const format = values.format as string;
    if (!(AUDIT_FORMATS as readonly string[]).includes(format)) throw usageError('audit', `--format ${format}: expected ${AUDIT_FORMATS.join(', ')}.`);
    const sample = sampleOption(values.sample as string | undefined, values.seed as string | undefined);
    const now = new Date();
    const ctx = await periodContext('audit', io, values, { now, waitOnRateLimit: true, log: { debug() {}, info() {}, warn: (m) => io.stderr(`change-control: ${m}\n`), error: (m) => io.stderr(`change-control: ${m}\n`) } });
    const policyPath = typeof values.policy === 'string' ? path.relative(ctx.root, path.resolve(ctx.cwd, values.policy)) : undefined;
    const out = values.out === undefined ? undefined : path.resolve(ctx.cwd, values.out as string);
    // A file is written beside its place and renamed at the end: a failed audit leaves no half report.
    const partial = out ? `${out}.partial-${process.pid}` : undefined;
    const fd = partial ? openSync(partial, 'w') : undefined;
    try {
      const { summary, header } = await writeAuditReport({
        root: ctx.root,
        git: ctx.git,
        github: ctx.github,
        repository: ctx.repo,
        base: ctx.base,
        since: ctx.since,
        until: ctx.until,
        policyPath,
        now: () => now,
        format: format as AuditFormat,
        sample,
        tool: { name: 'change-control', version: typeof CHANGE_CONTROL_VERSION === 'string' ? CHANGE_CONTROL_VERSION : '0.0.0-dev' },
        progress: (m) => io.stderr(`change-control: ${m}\n`),
        write: (chunk) => (fd === undefined ? io.stdout(chunk) : void writeSync(fd, chunk)),
      });
      if (fd !== undefined) {
        closeSync(fd);
        renameSync(partial!, out!);
      }
      const total = summary.pullRequests + summary.directPushes;
      const flagged = summary.byVerdict.exceptions + summary.byVerdict['signed-off-not-verifiable'];
      io.stderr(
        `change-control: ${summary.pullRequests} pull request${summary.pullRequests === 1 ? '' : 's'} and ${summary.directPushes} direct push${summary.directPushes === 1 ? '' : 'es'} in the period; ${flagged} of ${total} with exceptions (${(summary.exceptionRate * 100).toFixed(1)}%)${header.sample ? `; sample of ${header.sample.size} listed` : ''}${out ? `; written to ${String(values.out)}` : ''}.\n`,
      );
      return 0;
    } catch (err) {
      if (fd !== undefined) {
        closeSync(fd);
        rmSync(partial!, { force: true });
      }
      throw err;
    }
  },
};

function sampleOption(size: string | undefined, seed: string | undefined): { size: number; seed: number } | undefined {
  if (size === undefined && seed === undefined) return undefined;
  if (size === undefined) throw usageError('audit', '--seed is for a sample: give --sample N too.');
  if (!/^[1-9]\d*$/.test(size)) throw usageError('audit', `--sample ${size}: expected a whole number of changes, e.g. --sample 25.`);
  if (seed === undefined) throw usageError('audit', '--sample needs --seed S (a whole number) so that the sample can be drawn again: e.g. --sample 25 --seed 20261201.');
  if (!/^\d+$/.test(seed) || Number(seed) > 0xffffffff) throw usageError('audit', `--seed ${seed}: expected a whole number from 0 to 4294967295.`);
  return { size: Number(size), seed: Number(seed) };
}
