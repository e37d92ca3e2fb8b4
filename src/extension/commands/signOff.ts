// Change Control: Sign Off — the formal act from the editor, on the same path as the terminal's
// `change-control signoff` (node/signoff/signOff.ts). This file only talks to the person: GitHub
// sign-in through VS Code's own authentication (asked only now, when they act), progress, the
// final confirmation of what they attest, and the outcome. The token never leaves memory.
import * as vscode from 'vscode';
import { assessedRepository, notify, notifySecrets, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';
import { readSettings } from '../settings';
import { runChecklistItem } from './runChecklistCommand';

/** Scopes a sign-off needs: write statuses and comments, read reviews, and see team memberships. */
const SCOPES = ['repo', 'read:org'];

export async function signOff(ctx: CommandContext, root?: unknown): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  if (!vscode.workspace.isTrusted) {
    notify(ctx, 'warning', 'Change Control: Sign Off runs the policy\'s commands, so it is not available in an untrusted workspace. Trust the workspace first (Manage Workspace Trust).');
    return;
  }
  const inputs = watch.assessedWith;
  if (!inputs?.clean) {
    notify(ctx, 'warning', 'Change Control: the policy file has problems (see the Problems panel): fix them before signing off, so the sign-off is made against the policy as written.');
    return;
  }
  const engine = loadEngine();
  const a = watch.view.assessment!;
  const settings = readSettings(vscode.Uri.file(watch.root));
  const git = watch.git(engine);
  const log = ctx.log;
  const secrets = await notifySecrets(ctx, Object.values(inputs.loaded.policy.notify).map((t) => t.secret));
  try {
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Change Control: signing off', cancellable: false }, (progress) =>
      engine.signOff({
        git,
        repo: a.repository,
        assessInput: { git, workTree: engine.fsWorkTree(watch.root), policy: inputs.loaded, base: settings.baseBranch || undefined },
        evidence: watch.view.evidence ?? engine.emptyEvidence(),
        repoOverride: settings.githubRepository ? { slug: settings.githubRepository, from: 'the changeControl.github.repository setting' } : undefined,
        github: async (remote) => {
          const endpoint = githubEndpoint(remote.host);
          if ('problem' in endpoint) throw new SignInProblem(endpoint.problem);
          const { providerId, apiUrl } = endpoint;
          const session = await vscode.authentication.getSession(providerId, SCOPES, { createIfNone: true });
          return engine.connectGitHub({ token: session.accessToken, baseUrl: apiUrl, log: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) } });
        },
        runCommands: async (assessment) => {
          for (const entry of engine.openCommandItems(assessment)) {
            progress.report({ message: entry.title });
            const result = await runChecklistItem(ctx, watch, entry.id);
            if (result === 'cancelled') return { cancelled: true };
          }
          const { evidence } = await engine.readEvidence(assessment.repository);
          return { evidence, cancelled: false };
        },
        confirm: async (plan) => {
          const list = plan.toConfirm.map((t) => `• ${t.title}${t.confirmedBefore ? ` (confirmed earlier by ${t.confirmedBefore})` : ''}`).join('\n');
          const choice = await vscode.window.showWarningMessage('By signing off you attest that:', { modal: true, detail: list }, 'Sign Off');
          return choice === 'Sign Off';
        },
        secrets,
        progress: (message) => {
          log.info(`${watch.view.name}: ${message}`);
          progress.report({ message });
        },
        tool: { name: 'change-control', version: engine.VERSION },
      }),
    );
    await watch.refresh('signed off');
    if (outcome.kind === 'cancelled') {
      notify(ctx, 'info', `Change Control: ${outcome.why}`);
      return;
    }
    if (outcome.kind === 'blocked') {
      const { blockers } = outcome.plan;
      for (const b of blockers) log.warn(`${watch.view.name}: not signed off: ${b.message}`);
      notify(ctx, 'warning', `Change Control: not signed off — ${blockers.length} thing${blockers.length === 1 ? '' : 's'} to do first; nothing was recorded. ${blockers.map((b, i) => `${i + 1}) ${b.message}`).join(' ')}`);
      return;
    }
    const { plan, recorded } = outcome;
    const what = `${plan.record!.emergency ? 'Emergency sign-off' : 'Signed off'}: ${plan.record!.level.title} change at ${plan.status!.sha.slice(0, 7)}, by @${plan.signoff!.by}.`;
    for (const w of plan.warnings) notify(ctx, 'warning', `Change Control: ${w}`);
    const untold = outcome.notified.filter((n) => n.outcome !== 'delivered');
    if (untold.length) notify(ctx, 'warning', `Change Control: signed off, but ${untold.map((n) => `${n.id} was not told (${n.problem})`).join('; ')}. Set a webhook with Change Control: Set Notification Webhook…`);
    ctx.notices.push({ severity: 'info', message: `Change Control: ${what}` });
    log.info(`${watch.view.name}: ${what} ${recorded.comment?.url ?? ''}`);
    const url = recorded.comment?.url ?? recorded.signoff.url;
    if (url) {
      void Promise.resolve(vscode.window.showInformationMessage(`Change Control: ${what}`, 'Open Change Record')).then((choice) => {
        if (choice) void vscode.env.openExternal(vscode.Uri.parse(url));
      });
    } else {
      void vscode.window.showInformationMessage(`Change Control: ${what}`);
    }
  } catch (err) {
    const known = engine.isChangeControlError(err) || err instanceof SignInProblem;
    const message = known ? (err as Error).message : `unexpected error: ${(err as Error).message}`;
    if (!known) log.error((err as Error).stack ?? String(err));
    notify(ctx, 'error', `Change Control: not signed off: ${message}`);
  }
}

/** Which of VS Code's GitHub sign-ins and which API: github.com, or the GitHub Enterprise Server of `github-enterprise.uri`. */
function githubEndpoint(host: string | null): { providerId: string; apiUrl: string } | { problem: string } {
  const enterprise = vscode.workspace.getConfiguration('github-enterprise').get<string>('uri', '').trim().replace(/\/+$/, '');
  if (host === 'github.com' || (!host && !enterprise)) return { providerId: 'github', apiUrl: 'https://api.github.com' };
  let enterpriseHost: string | undefined;
  try {
    enterpriseHost = enterprise ? new URL(enterprise).host.toLowerCase() : undefined;
  } catch {
    return { problem: `the github-enterprise.uri setting (${enterprise}) is not a URL: set it to your server, e.g. https://github.example.com.` };
  }
  if (enterpriseHost && (!host || enterpriseHost === host)) return { providerId: 'github-enterprise', apiUrl: `${enterprise}/api/v3` };
  return { problem: `the repository is on ${host}: set the github-enterprise.uri setting to https://${host} to sign in to that GitHub Enterprise Server.` };
}

/** A sign-in the editor cannot start, said in a sentence. */
class SignInProblem extends Error {}
