// Change Control: Sign Off (and Sign Off Stack) — the formal act from the editor, on the same path
// as the terminal's `change-control signoff` (node/signoff/signOff.ts). This file only talks to the
// person: GitHub sign-in through VS Code's own authentication (asked only now, when they act),
// progress, the final confirmation of what they attest, and the outcome. The token stays in memory.
import * as vscode from 'vscode';
import { assessedRepository, notify, notifySecrets, type CommandContext } from '../commandContext';
import { loadEngine, type EngineModule } from '../engineLoader';
import type { RepositoryWatch } from '../repositoryWatch';
import { SignInProblem, signInToGitHub } from '../githubSignIn';
import { readSettings } from '../settings';
import { runChecklistItem } from './runChecklistCommand';

/** Scopes a sign-off needs: write statuses and comments, read reviews, and see team memberships. */
const SCOPES = ['repo', 'read:org'];

type Options = Parameters<EngineModule['signOff']>[0];
type Outcome = Awaited<ReturnType<EngineModule['signOff']>>;

export async function signOff(ctx: CommandContext, root?: unknown): Promise<void> {
  await withSignOff(ctx, root, 'Change Control: signing off', async (engine, options, watch) => {
    show(ctx, watch, await engine.signOff(options));
  });
}

/** Every pull request of the branch's stack, bottom first, stopping at the first that cannot be signed off. */
export async function signOffStack(ctx: CommandContext, root?: unknown): Promise<void> {
  await withSignOff(ctx, root, 'Change Control: signing off the stack', async (engine, options, watch) => {
    const stack = await engine.signOffStack(options, (step) => show(ctx, watch, step.outcome, `${step.branch} (#${step.pullRequest})`));
    const last = stack.steps.at(-1)!;
    if (last.outcome.kind !== 'signed' && stack.skipped.length) notify(ctx, 'warning', `Change Control: the stack stopped at ${last.branch}; not signed off above it: ${stack.skipped.join(', ')}.`);
  });
}

async function withSignOff(
  ctx: CommandContext,
  root: unknown,
  title: string,
  act: (engine: EngineModule, options: Options, watch: RepositoryWatch) => Promise<void>,
): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  if (!vscode.workspace.isTrusted) {
    notify(ctx, 'warning', "Change Control: Sign Off runs the policy's commands, so it is not available in an untrusted workspace. Trust the workspace first (Manage Workspace Trust).");
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
  let github: ReturnType<Options['github']> | undefined;
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, (progress) =>
      act(
        engine,
        {
          git,
          repo: a.repository,
          assessInput: { git, workTree: engine.fsWorkTree(watch.root), policy: inputs.loaded, base: settings.baseBranch || undefined },
          evidence: watch.view.evidence ?? engine.emptyEvidence(),
          repoOverride: settings.githubRepository ? { slug: settings.githubRepository, from: 'the changeControl.github.repository setting' } : undefined,
          // One sign-in and one client for the whole act (a stack signs off several pull requests).
          github: (remote) =>
            (github ??= signInToGitHub(engine, remote.host, SCOPES, log)),
          runCommands: async (assessment) => {
            for (const entry of engine.openCommandItems(assessment)) {
              progress.report({ message: entry.title });
              if ((await runChecklistItem(ctx, watch, entry.id)) === 'cancelled') return { cancelled: true };
            }
            const { evidence } = await engine.readEvidence(assessment.repository);
            return { evidence, cancelled: false };
          },
          confirm: async (plan) => {
            const list = plan.toConfirm.map((t) => `• ${t.title}${t.confirmedBefore ? ` (confirmed earlier by ${t.confirmedBefore})` : ''}`).join('\n');
            return (await vscode.window.showWarningMessage('By signing off you attest that:', { modal: true, detail: list }, 'Sign Off')) === 'Sign Off';
          },
          progress: (message) => {
            log.info(`${watch.view.name}: ${message}`);
            progress.report({ message });
          },
          secrets,
          tool: { name: 'change-control', version: engine.VERSION },
        },
        watch,
      ),
    );
  } catch (err) {
    const known = engine.isChangeControlError(err) || err instanceof SignInProblem;
    if (!known) log.error((err as Error).stack ?? String(err));
    notify(ctx, 'error', `Change Control: not signed off: ${known ? (err as Error).message : `unexpected error: ${(err as Error).message}`}`);
  } finally {
    await watch.refresh('signed off');
  }
}

/** Says how one sign-off ended: signed (with a way to the record), blocked (every blocker), or cancelled. */
function show(ctx: CommandContext, watch: RepositoryWatch, outcome: Outcome, which = ''): void {
  const of = which ? ` ${which}` : '';
  if (outcome.kind === 'cancelled') {
    notify(ctx, 'info', `Change Control:${of} ${outcome.why}`);
    return;
  }
  if (outcome.kind === 'blocked') {
    const { blockers } = outcome.plan;
    for (const b of blockers) ctx.log.warn(`${watch.view.name}:${of} not signed off: ${b.message}`);
    notify(ctx, 'warning', `Change Control:${of} not signed off — ${blockers.length} thing${blockers.length === 1 ? '' : 's'} to do first; nothing was recorded. ${blockers.map((b, i) => `${i + 1}) ${b.message}`).join(' ')}`);
    return;
  }
  const { plan, recorded } = outcome;
  const what = `${plan.record!.emergency ? 'Emergency sign-off' : 'Signed off'}${of}: ${plan.record!.level.title} change at ${plan.status!.sha.slice(0, 7)}, by @${plan.signoff!.by}.`;
  for (const w of plan.warnings) notify(ctx, 'warning', `Change Control: ${w}`);
  const untold = outcome.notified.filter((n) => n.outcome !== 'delivered');
  if (untold.length) notify(ctx, 'warning', `Change Control: signed off, but ${untold.map((n) => `${n.id} was not told (${n.problem})`).join('; ')}. Set a webhook with Change Control: Set Notification Webhook…`);
  if (recorded.followUp) ctx.log.info(`${watch.view.name}: post-implementation review: ${recorded.followUp.url}`);
  ctx.notices.push({ severity: 'info', message: `Change Control: ${what}` });
  ctx.log.info(`${watch.view.name}: ${what} ${recorded.comment?.url ?? ''}`);
  const url = recorded.comment?.url ?? recorded.signoff.url;
  void Promise.resolve(url ? vscode.window.showInformationMessage(`Change Control: ${what}`, 'Open Change Record') : vscode.window.showInformationMessage(`Change Control: ${what}`)).then((choice) => {
    if (choice && url) void vscode.env.openExternal(vscode.Uri.parse(url));
  });
}
