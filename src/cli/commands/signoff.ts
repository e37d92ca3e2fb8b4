// `change-control signoff`: the formal act, from the terminal. Runs the open command items, checks
// everything the policy requires at this level against GitHub, asks you to confirm what you attest,
// and records the change record on the pull request and the `signoff` status on HEAD. The same
// path as the editor's Sign Off (node/signoff/signOff.ts); this file only talks to the terminal.
import { ChangeControlError } from '../../core/errors';
import { apiUrlForHost } from '../../core/github/remote';
import { describeTarget } from '../../core/notify/message';
import { PRESET_NAMES } from '../../core/policy/presets';
import type { SignoffPlan } from '../../core/signoff/plan';
import type { GitHub } from '../../core/ports';
import { connectGitHub } from '../../node/github/connect';
import { signOff, signOffStack, type SignOffOptions, type SignOffOutcome } from '../../node/signoff/signOff';
import { parse, POLICY_OPTIONS, usageError } from '../args';
import { commandHelp, POLICY_OPTION_LINES, type CliCommand } from '../command';
import { gatherInputs } from '../inputs';
import type { CliIo } from '../io';
import { runOpenCommands } from '../runCommands';
import { colours, type Colours } from '../textReport';
import { INTERRUPTED } from './check';

declare const CHANGE_CONTROL_VERSION: string | undefined;

export const signoff: CliCommand = {
  name: 'signoff',
  summary: 'Sign off HEAD: verify what the policy requires and record it on GitHub',
  synopsis: ['signoff [--yes] [--repo OWNER/NAME] [--base REF] [--policy FILE] [--preset NAME] [-C DIR]', 'signoff --emergency --reason TEXT [--yes] [--repo OWNER/NAME] [-C DIR]', 'signoff --stack [--yes] [--repo OWNER/NAME] [-C DIR]'],
  options: `  --yes               Confirm the attestations listed (needed when stdin is not a terminal)
  --emergency         Take the emergency path: the policy's emergency checklist applies, and
                      the record and status are flagged as an emergency
  --reason TEXT       Why this is an emergency (required with --emergency)
  --stack             Sign off every pull request of this branch's stack, bottom first,
                      stopping at the first that cannot be signed off
  --repo OWNER/NAME   The GitHub repository (default: from the origin remote)
${POLICY_OPTION_LINES(PRESET_NAMES)}
  The token comes from GITHUB_TOKEN or GH_TOKEN (it must be a person's: an app's or CI's
  cannot sign off); the API from GITHUB_API_URL, else the remote's host.
`,
  exitCodes: '0 signed off (or already signed off); 1 blocked: what is missing is listed, nothing was recorded; 2 usage, git, policy or GitHub error; 130 interrupted.',
  run: async (args, io) => {
    const { values } = parse(args, {
      ...POLICY_OPTIONS,
      yes: { type: 'boolean', default: false },
      emergency: { type: 'boolean', default: false },
      reason: { type: 'string' },
      repo: { type: 'string' },
      stack: { type: 'boolean', default: false },
    });
    if (values.help) {
      io.stdout(commandHelp(signoff));
      return 0;
    }
    if (values.emergency && values.reason === undefined) throw usageError('signoff', 'signoff --emergency: say why with --reason "…" (it goes into the change record).');
    if (!values.emergency && values.reason !== undefined) throw usageError('signoff', '--reason goes with --emergency.');
    if (values.stack && values.emergency) throw usageError('signoff', '--stack cannot take the emergency path: sign off the emergency branch by itself.');
    if (values.stack && values.base !== undefined) throw usageError('signoff', '--stack measures each branch from the branch its pull request targets: leave out --base.');
    const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN;
    if (!token) throw new ChangeControlError('GITHUB_NO_TOKEN', 'No GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token of yours, e.g. GITHUB_TOKEN=$(gh auth token) change-control signoff.');
    const inputs = await gatherInputs(io, values);
    const c = colours(io.isTTY, io.env);
    const say = (line: string) => io.stdout(`${line}\n`);

    let github: Promise<GitHub> | undefined;
    const options: SignOffOptions = {
      git: inputs.git,
      repo: inputs.repo,
      assessInput: { git: inputs.git, workTree: inputs.workTree, policy: inputs.policy, base: inputs.base },
      evidence: inputs.evidence,
      repoOverride: typeof values.repo === 'string' ? { slug: values.repo, from: '--repo' } : undefined,
      emergencyReason: values.emergency ? (values.reason as string) : undefined,
      // One client for the whole run (a stack signs off several pull requests).
      github: (remote) =>
        (github ??= connectGitHub({ token, baseUrl: io.env.GITHUB_API_URL || apiUrlForHost(remote.host ?? 'github.com') })),
      runCommands: async (assessment) => {
        const runs = await runOpenCommands({ ...inputs }, assessment, io, io.stdout, c);
        return { evidence: runs.evidence, cancelled: runs.cancelled };
      },
      confirm: (plan) => confirm(plan, io, values.yes === true),
      progress: say,
      secrets: io.env,
      tool: { name: 'change-control', version: typeof CHANGE_CONTROL_VERSION === 'string' ? CHANGE_CONTROL_VERSION : '0.0.0-dev' },
    };
    if (!values.stack) return report(await signOff(options), say, c);
    let code = 0;
    const stack = await signOffStack(options, (step) => {
      code = Math.max(code, report(step.outcome, say, c));
      say('');
    });
    const last = stack.steps.at(-1)!;
    if (last.outcome.kind !== 'signed') say(`The stack stopped at ${last.branch} (#${last.pullRequest})${stack.skipped.length ? `; not signed off above it: ${stack.skipped.join(', ')}` : ''}.`);
    else say(c.green(`The whole stack is signed off (${stack.steps.length} pull request${stack.steps.length === 1 ? '' : 's'}).`));
    return code;
  },
};

/** Prints one sign-off's outcome and gives its exit code. */
function report(outcome: SignOffOutcome, say: (line: string) => void, c: Colours): number {
  if (outcome.kind === 'cancelled') {
    say(outcome.why);
    return outcome.why.startsWith('A command') ? INTERRUPTED : 1;
  }
  if (outcome.kind === 'blocked') {
    const { plan } = outcome;
    say(c.red(`Not signed off: ${plan.blockers.length} thing${plan.blockers.length === 1 ? '' : 's'} to do first. Nothing was recorded.`));
    for (const b of plan.blockers) say(`  ${c.red('✗')} ${b.message}`);
    return 1;
  }
  const { plan, recorded } = outcome;
  const comment = recorded.comment;
  if (comment) say(`${comment.action === 'keep' ? 'Change record unchanged' : comment.action === 'create' ? 'Change record written' : 'Change record updated'}: ${comment.url}`);
  say(`${recorded.status === 'keep' ? 'Status already set' : 'Status set'}: ${plan.status!.status.context} = success on ${plan.status!.sha.slice(0, 7)} (“${plan.status!.status.description}”).`);
  if (recorded.followUp) {
    say(`Post-implementation review: ${recorded.followUp.url}${recorded.followUp.action === 'keep' ? ' (already open)' : ''}${plan.followUp?.due ? `, due by ${plan.followUp.due}` : ''}.`);
    if (recorded.followUp.unassigned) say(`Note: ${recorded.followUp.unassigned}`);
  }
  for (const n of outcome.notified) say(n.outcome === 'delivered' ? `Told ${describeTarget(n)}.` : `Note: ${describeTarget(n)} was not told: ${n.problem}${n.attempts > 1 ? ` after ${n.attempts} attempts` : ''} (the sign-off stands).`);
  for (const later of plan.later) say(`Later: ${later.title}: ${later.why}`);
  say(c.green(`${plan.record!.emergency ? 'Emergency sign-off' : 'Signed off'}: ${plan.record!.level.title} change, by @${plan.signoff!.by}.`));
  return 0;
}

/** Lists exactly what the person attests; asks on a terminal, takes --yes otherwise. */
async function confirm(plan: SignoffPlan, io: CliIo, yes: boolean): Promise<boolean> {
  io.stdout('By signing off you attest that:\n');
  for (const t of plan.toConfirm) io.stdout(`  • ${t.title}${t.confirmedBefore ? ` (confirmed earlier by ${t.confirmedBefore})` : ''}\n`);
  if (yes) {
    io.stdout('\n');
    return true;
  }
  if (!io.stdin?.isTTY) throw usageError('signoff', 'signoff: confirm the attestations above with --yes (stdin is not a terminal to ask you).');
  io.stdout('Type "yes" to confirm: ');
  const answer = (await (io.stdin.readLine ?? io.stdin.read)()).trim().toLowerCase();
  io.stdout('\n');
  return answer === 'yes' || answer === 'y';
}
