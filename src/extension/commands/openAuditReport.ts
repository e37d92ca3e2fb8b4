// Change Control: Open Audit Report — the audit of a period (the same report as `change-control
// audit --format html`, from the same engine) in a webview beside the editor. This file asks for the
// period, signs in, shows progress, and shows the HTML; the report itself is the engine's.
import * as vscode from 'vscode';
import { notify, targetRepository, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';
import { SignInProblem, signInToGitHub } from '../githubSignIn';
import { AUDIT_REPORT_VIEW } from '../ids';
import { readSettings } from '../settings';

/** Reading reviews, statuses and comments, and the signer teams. */
const SCOPES = ['repo', 'read:org'];
const DAY = 86_400_000;

interface Period {
  since: Date;
  until: Date;
}

export async function openAuditReport(ctx: CommandContext, root?: unknown): Promise<void> {
  const watch = targetRepository(ctx, root);
  if (!watch) {
    notify(ctx, 'warning', 'Change Control: no git repository is open.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    // The audit fetches from the remote and reads objects with git outside the restricted wrapper:
    // a repository's own config can name programs for those (core.sshCommand, for one).
    notify(ctx, 'warning', 'Change Control: Open Audit Report fetches from the repository\'s remote with git, which the repository\'s own configuration can point at programs, so it is not available in an untrusted workspace. Trust the workspace first (Manage Workspace Trust).');
    return;
  }
  const engine = loadEngine();
  const period = await askPeriod(engine, new Date());
  if (!period) return;
  const settings = readSettings(vscode.Uri.file(watch.root));
  const git = watch.git(engine);
  const log = ctx.log;
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Change Control: auditing', cancellable: false }, async (progress) => {
      const found = await engine.githubRepository(git, settings.githubRepository ? { slug: settings.githubRepository, from: 'the changeControl.github.repository setting' } : undefined);
      const github = await signInToGitHub(engine, found.host, SCOPES, log, { waitOnRateLimit: true });
      const base = settings.baseBranch.replace(/^origin\//, '') || (await engine.defaultBranch(git));
      const chunks: string[] = [];
      const now = new Date();
      const { summary, header } = await engine.writeAuditReport({
        root: watch.root,
        git,
        github,
        repository: { owner: found.owner, name: found.name },
        base,
        since: period.since,
        until: period.until,
        now: () => now,
        format: 'html',
        tool: { name: 'change-control', version: engine.VERSION },
        progress: (message) => {
          log.info(`${watch.view.name}: audit: ${message}`);
          progress.report({ message });
        },
        write: (chunk) => void chunks.push(chunk),
      });
      return { html: chunks.join(''), summary, header };
    });
    const { summary, header } = report;
    const title = `Audit: ${header.repository} ${header.period.since.slice(0, 10)} – ${header.period.until.slice(0, 10)}`;
    const panel = vscode.window.createWebviewPanel(AUDIT_REPORT_VIEW, title, vscode.ViewColumn.Active, { enableScripts: false, enableFindWidget: true, localResourceRoots: [] });
    panel.webview.html = report.html;
    const total = summary.pullRequests + summary.directPushes;
    const flagged = summary.byVerdict.exceptions + summary.byVerdict['signed-off-not-verifiable'];
    const message = `Change Control: audited ${total} change${total === 1 ? '' : 's'} to ${header.base} (${summary.pullRequests} pull requests, ${summary.directPushes} direct pushes); ${flagged} with exceptions.`;
    ctx.notices.push({ severity: 'info', message });
    log.info(`${watch.view.name}: ${message}`);
    void Promise.resolve(vscode.window.showInformationMessage(message, 'Save Report…')).then(async (choice) => {
      if (choice !== 'Save Report…') return;
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${watch.root}/audit-${header.period.since.slice(0, 10)}.html`), filters: { HTML: ['html'] } });
      if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(report.html, 'utf8'));
    });
  } catch (err) {
    const known = engine.isChangeControlError(err) || err instanceof SignInProblem;
    if (!known) log.error((err as Error).stack ?? String(err));
    notify(ctx, 'error', `Change Control: no audit report: ${known ? (err as Error).message : `unexpected error: ${(err as Error).message}`}`);
  }
}

/** The period: a recent span, or dates typed in (as `--since`/`--until` take them). */
async function askPeriod(engine: ReturnType<typeof loadEngine>, now: Date): Promise<Period | undefined> {
  const quarterStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1));
  const thisQuarter = quarterStart(now);
  const lastQuarter = quarterStart(new Date(thisQuarter.getTime() - DAY));
  const quarterName = (d: Date) => `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  const choices: (vscode.QuickPickItem & { period?: Period })[] = [
    { label: 'Last 30 days', period: { since: new Date(now.getTime() - 30 * DAY), until: now } },
    { label: 'Last 90 days', period: { since: new Date(now.getTime() - 90 * DAY), until: now } },
    { label: `This quarter (${quarterName(thisQuarter)})`, period: { since: thisQuarter, until: now } },
    { label: `Last quarter (${quarterName(lastQuarter)})`, period: { since: lastQuarter, until: new Date(thisQuarter.getTime() - 1) } },
    { label: 'Dates…', description: 'from and to, e.g. 2026-09-01' },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: 'Change Control: audit which period?', placeHolder: 'Every change merged into the base branch in this period' });
  if (!picked) return undefined;
  if (picked.period) return picked.period;
  const ask = async (prompt: string, endOfDay: boolean, value?: string) => {
    const text = await vscode.window.showInputBox({
      title: 'Change Control: audit period',
      prompt,
      value,
      placeHolder: engine.PERIOD_EXAMPLE,
      validateInput: (t) => (engine.parsePeriodDate(t, endOfDay) ? undefined : `Expected a date such as ${engine.PERIOD_EXAMPLE}.`),
    });
    return text === undefined ? undefined : engine.parsePeriodDate(text, endOfDay);
  };
  const since = await ask('From (the first day of the period)', false);
  if (!since) return undefined;
  const until = await ask('To (the last day of the period)', true, now.toISOString().slice(0, 10));
  if (!until) return undefined;
  if (until < since) {
    void vscode.window.showWarningMessage('Change Control: the period ends before it starts; no audit report.');
    return undefined;
  }
  return { since, until };
}
