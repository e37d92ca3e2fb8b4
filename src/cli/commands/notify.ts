// `change-control notify --phase before|after`: a deploy pipeline announces the change it ships
// to the policy's notify targets on before-deploy or after-deploy (SyncWell's `#deployments`).
// The change is assessed as `check` assesses it; each target's URL comes from the environment
// variable its `secret` names, and never appears in what is printed. What was delivered is
// recorded in the branch's evidence, which completes the checklist's notification items.
import { own } from '../../core/own';
import type { Assessment } from '../../core/assessment';
import { recordDeliveries, type Delivered } from '../../core/checklist/evidenceEdits';
import { ChangeControlError } from '../../core/errors';
import { parseGitHubRemote, repoSlug } from '../../core/github/remote';
import { describeTarget, eventFromAssessment, notificationsFor, payloadFor } from '../../core/notify/message';
import { PRESET_NAMES } from '../../core/policy/presets';
import { closest } from '../../core/policy/closest';
import type { NotifyEvent } from '../../core/policy/schema';
import type { Git } from '../../core/ports';
import { updateEvidence } from '../../node/evidenceStore';
import { gitIdentity } from '../../node/identity';
import { notifyTargets, webhookUrlFor } from '../../node/notifyTargets';
import { parse, POLICY_OPTIONS, usageError } from '../args';
import { commandHelp, POLICY_OPTION_LINES, type CliCommand } from '../command';
import { assessInputs, gatherInputs, type Inputs } from '../inputs';
import type { CliIo } from '../io';

const PHASES: Record<string, NotifyEvent> = { before: 'before-deploy', after: 'after-deploy' };

export const notify: CliCommand = {
  name: 'notify',
  summary: 'Announce a deploy of the change to the policy\'s notify targets, before or after it ships',
  synopsis: ['notify --phase before|after [--dry-run] [--url URL] [--base REF] [--policy FILE]\n[--preset NAME] [-C DIR]'],
  options: `  --phase PHASE       before: the deploy starts; after: it has finished. Tells the targets
                      whose \`on\` lists before-deploy or after-deploy
  --dry-run           Print what would be sent to whom; send and record nothing (needs no secrets)
  --url URL           A link the message carries, e.g. the deploy's pipeline run
                      (default in GitHub Actions: the workflow run)
${POLICY_OPTION_LINES(PRESET_NAMES)}  Each target's webhook URL is read from the environment variable its \`secret\` names.
`,
  exitCodes: '0 every target told, no target listens for the phase, or --dry-run; 1 a target could not be told after retries; 2 usage, git or policy error, or a target\'s secret not set.',
  run: async (args, io) => {
    const { values } = parse(args, { ...POLICY_OPTIONS, phase: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, url: { type: 'string' } });
    if (values.help) {
      io.stdout(commandHelp(notify));
      return 0;
    }
    if (values.phase === undefined) throw usageError('notify', 'notify: say which phase of the deploy with --phase before or --phase after.');
    const event = phaseEvent(values.phase as string);
    const url = values.url as string | undefined;
    if (url !== undefined && !/^https?:\/\/\S+$/i.test(url)) throw usageError('notify', `--url ${url}: expected an http(s) link.`);

    const inputs = await gatherInputs(io, values);
    const { policy } = inputs.policy;
    const targets = notificationsFor(policy, event);
    if (targets.length === 0) {
      io.stdout(`No notify target of the policy listens for ${event}: nothing to send. Add \`on: [${event}]\` to a target under \`notify\` to announce deploys.\n`);
      return 0;
    }
    const assessment = await assessInputs(inputs);
    const message = eventFromAssessment(assessment, {
      event,
      at: new Date(),
      repository: await repositoryOf(inputs.git),
      recordUrl: url ?? actionsRunUrl(io.env),
    });
    const what = `${message.repository ? `${message.repository} ` : ''}${message.branch ?? 'detached HEAD'}${message.head ? ` at ${message.head.slice(0, 7)}` : ''} (${message.level.title})`;

    if (values['dry-run']) {
      io.stdout(`Dry run: nothing was sent. The ${event} notification of ${what} would go to ${count(targets.length, 'target')}:\n`);
      for (const t of targets) {
        const where = webhookUrlFor(t, io.env);
        io.stdout(`\n${describeTarget({ id: t.id, ...t.target })} (${'url' in where ? 'set' : `${where.problem}; a real run would stop`}):\n${JSON.stringify(payloadFor(t.target.kind, message), null, 2)}\n`);
      }
      return 0;
    }

    // Every secret first: a pipeline that can tell only some targets says so before it tells any.
    const unset = targets.flatMap((t) => {
      const where = webhookUrlFor(t, io.env);
      return 'problem' in where ? [`${t.id}: ${where.problem}`] : [];
    });
    if (unset.length) {
      throw new ChangeControlError(
        'NOTIFY_NOT_CONFIGURED',
        `nothing was sent: set each target's webhook URL in the environment variable its \`secret\` names (${unset.join('; ')}).`,
      );
    }

    const results = await notifyTargets(policy, message, io.env, {
      onRetry: (t, info) =>
        io.stderr(`change-control: ${t.id} ($${t.target.secret}): ${info.problem}; retrying in ${seconds(info.delayMs)} (attempt ${info.attempt + 1} of ${info.of})\n`),
    });
    const delivered = results.filter((r) => r.outcome === 'delivered');
    const failed = results.filter((r) => r.outcome !== 'delivered');
    io.stdout(`Told ${count(delivered.length, 'notify target')} of ${results.length} that the deploy of ${what} ${event === 'before-deploy' ? 'starts' : 'has finished'}:\n`);
    for (const r of results) {
      const name = describeTarget(r);
      io.stdout(r.outcome === 'delivered' ? `  ✓ ${name}\n` : `  ✗ ${name}: ${r.problem}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}\n`);
    }

    if (delivered.length) await recordDelivered(io, inputs, assessment, delivered.map((r) => ({ target: r.id, event })));
    for (const r of failed) {
      io.stderr(`change-control: could not tell ${r.id} ($${r.secret}): ${r.problem}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}.\n`);
    }
    return failed.length ? 1 : 0;
  },
};

/** Records the deliveries; a record that cannot be written is a warning, since the targets were told. */
async function recordDelivered(io: CliIo, inputs: Inputs, assessment: Assessment, delivered: readonly Delivered[]): Promise<void> {
  try {
    const by = await gitIdentity(inputs.git, io.env);
    const before = inputs.evidence.notifications;
    const after = await updateEvidence(inputs.repo, (e) => recordDeliveries(e, inputs.policy.policy, assessment, delivered, { by, at: new Date() }));
    for (const entry of assessment.checklist) {
      if (!Object.hasOwn(before, entry.id) && own(after.notifications, entry.id)?.delivered) io.stdout(`Checklist: "${entry.title}" (${entry.id}) is done.\n`);
    }
  } catch (err) {
    io.stderr(`change-control: warning: the targets were told, but the checklist record could not be updated: ${(err as Error).message}\n`);
  }
}

function phaseEvent(phase: string): NotifyEvent {
  if (Object.hasOwn(PHASES, phase)) return PHASES[phase];
  const hint = closest(phase, Object.keys(PHASES));
  throw usageError('notify', `--phase ${phase}: expected before or after.${hint ? ` Did you mean "${hint}"?` : ''}`);
}

/** `owner/name` of the origin remote, when it names one; only its path is kept (a remote URL can hold a token). */
async function repositoryOf(git: Git): Promise<string | null> {
  const out = await git.run(['config', '--get', 'remote.origin.url'], { okExitCodes: [1] });
  const remote = parseGitHubRemote(out.stdout.toString('utf8').trim());
  return remote ? repoSlug(remote) : null;
}

/** The workflow run's page, when the command runs in GitHub Actions. */
function actionsRunUrl(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run && /^https?:\/\//.test(server) ? `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}` : null;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
