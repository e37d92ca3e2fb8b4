// `change-control emergency declare --reason "…"` and `emergency withdraw`: the emergency path
// for the branch, recorded with who, when and why through the engine's declareEmergency and
// withdrawEmergency and the store the editor uses. The policy's emergency checklist then replaces
// the level's, and the post-implementation review falls due.
import { declareEmergency, recordDeliveries, withdrawEmergency } from '../../core/checklist/evidenceEdits';
import { describeTarget, eventFromAssessment } from '../../core/notify/message';
import { notifyTargets } from '../../node/notifyTargets';
import type { EmergencyRecord } from '../../core/checklist/evidence';
import { PRESET_NAMES } from '../../core/policy/presets';
import { updateEvidence } from '../../node/evidenceStore';
import { gitIdentity } from '../../node/identity';
import { parse, POLICY_OPTIONS, subcommand, usageError } from '../args';
import { commandHelp, POLICY_OPTION_LINES, type CliCommand } from '../command';
import { assessInputs, gatherInputs, openRepository } from '../inputs';

export const emergency: CliCommand = {
  name: 'emergency',
  summary: 'Declare (or withdraw) the emergency path for this branch',
  synopsis: ['emergency declare --reason TEXT [--base REF] [--policy FILE] [--preset NAME] [-C DIR]', 'emergency withdraw [-C DIR]'],
  options: `  declare --reason TEXT
                      Declare an emergency, saying why: the policy's emergency checklist
                      replaces the level's, and the post-implementation review falls due
  withdraw            Withdraw the declared emergency
${POLICY_OPTION_LINES(PRESET_NAMES)}`,
  exitCodes: '0 recorded; 2 usage, git or policy error, or a reason too short to say why.',
  run: async (args, io) => {
    const { values, positionals } = parse(args, { ...POLICY_OPTIONS, reason: { type: 'string' } }, { positionals: true });
    if (values.help) {
      io.stdout(commandHelp(emergency));
      return 0;
    }
    const [given, ...rest] = positionals;
    const sub = subcommand('emergency', given, ['declare', 'withdraw']);
    if (rest.length) throw usageError('emergency', `emergency ${sub}: unexpected ${rest.join(' ')}${sub === 'declare' ? ' (give the reason as --reason "…")' : ''}.`);
    if (sub === 'withdraw') {
      if (values.reason !== undefined) throw usageError('emergency', 'emergency withdraw takes no --reason.');
      // Needs no policy: a broken one must not keep an emergency declared.
      const { repo } = await openRepository(io, values.C);
      const branch = repo.branch ?? 'this detached HEAD';
      let was: EmergencyRecord | undefined;
      await updateEvidence(repo, (e) => {
        was = e.emergency;
        return withdrawEmergency(e);
      });
      const withdrawn = was as EmergencyRecord | undefined;
      io.stdout(withdrawn ? `Withdrew the emergency for ${branch} (declared by ${withdrawn.by} at ${withdrawn.declaredAt}).\n` : `No emergency is declared for ${branch}: nothing to withdraw.\n`);
      return 0;
    }
    const reason = values.reason as string | undefined;
    if (reason === undefined) throw usageError('emergency', 'emergency declare: say why with --reason "…" (it goes into the change record).');
    const inputs = await gatherInputs(io, values);
    const before = await assessInputs(inputs);
    const by = await gitIdentity(inputs.git);
    const after = await assessInputs(inputs, await updateEvidence(inputs.repo, (e) => declareEmergency(e, reason, { by, at: new Date() })));
    const branch = before.repository.branch ?? 'this detached HEAD';
    const replaced = before.emergency ? ` It replaces the declaration by ${before.emergency.by} at ${before.emergency.declaredAt}.` : '';
    const path = before.emergencyPath;
    const what = !path
      ? 'This policy has no emergency path: the declaration is recorded, the checklist stays the same.'
      : `The ${path.title} checklist replaces the ${before.level.title} checklist${after.emergency?.reviewDue ? `; the post-implementation review is due by ${after.emergency.reviewDue} (within ${path.reviewWithin})` : ''}.`;
    io.stdout(`Emergency declared for ${branch} by ${by}.${replaced} ${what}\n`);
    // The policy's targets hear of it now; one that cannot be told is reported and changes nothing recorded.
    const results = await notifyTargets(inputs.policy.policy, eventFromAssessment(after, { event: 'emergency', at: new Date(), repository: null, signer: by }), io.env);
    for (const r of results) io.stdout(r.outcome === 'delivered' ? `Told ${describeTarget(r)}.\n` : `Note: ${describeTarget(r)} was not told: ${r.problem}.\n`);
    const delivered = results.filter((r) => r.outcome === 'delivered').map((r) => ({ target: r.id, event: 'emergency' as const }));
    if (delivered.length) await updateEvidence(inputs.repo, (e) => recordDeliveries(e, inputs.policy.policy, after, delivered, { by, at: new Date() }));
    return 0;
  },
};
