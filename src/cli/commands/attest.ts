// `change-control attest ITEM [--withdraw]`: confirms, or withdraws, a checklist item a person
// completes (an attestation, a notification, a post-implementation review), recorded at HEAD as
// git's user.name <user.email> — through the same engine edit and store as the editor's checkbox.
import { own } from '../../core/own';
import { attest as attestItem, checklistEntry, withdraw as withdrawItem } from '../../core/checklist/evidenceEdits';
import { PRESET_NAMES } from '../../core/policy/presets';
import { updateEvidence } from '../../node/evidenceStore';
import { gitIdentity } from '../../node/identity';
import { parse, POLICY_OPTIONS, usageError } from '../args';
import { commandHelp, POLICY_OPTION_LINES, type CliCommand } from '../command';
import { assessInputs, gatherInputs } from '../inputs';

export const attest: CliCommand = {
  name: 'attest',
  summary: 'Confirm (or withdraw) a checklist item a person completes',
  synopsis: ['attest ITEM [--withdraw] [--base REF] [--policy FILE] [--preset NAME] [-C DIR]'],
  options: `  ITEM                The item's id (\`check --format json\` lists them): an attestation,
                      notification or post-implementation review. Recorded at HEAD as
                      git's user.name <user.email>
  --withdraw          Withdraw the confirmation instead
${POLICY_OPTION_LINES(PRESET_NAMES)}`,
  exitCodes: '0 recorded; 2 usage, git or policy error, or an item that is not on the checklist or not confirmed by a person.',
  run: async (args, io) => {
    const { values, positionals } = parse(args, { ...POLICY_OPTIONS, withdraw: { type: 'boolean', default: false } }, { positionals: true });
    if (values.help) {
      io.stdout(commandHelp(attest));
      return 0;
    }
    if (positionals.length !== 1) throw usageError('attest', positionals.length === 0 ? 'attest: name the checklist item to confirm.' : `attest: one item at a time (got ${positionals.join(', ')}).`);
    const itemId = positionals[0];
    const inputs = await gatherInputs(io, values);
    const assessment = await assessInputs(inputs);
    const { title } = checklistEntry(assessment, itemId);
    const at = assessment.repository.headSha?.slice(0, 7) ?? 'no commit yet';

    if (values.withdraw) {
      let had = false;
      await updateEvidence(inputs.repo, (e) => {
        had = Object.hasOwn(e.attestations, itemId) || Object.hasOwn(e.notifications, itemId);
        return withdrawItem(e, assessment, itemId);
      });
      io.stdout(had ? `Withdrew "${title}" (${itemId}).\n` : `"${title}" (${itemId}) was not confirmed: nothing to withdraw.\n`);
      return 0;
    }
    const by = await gitIdentity(inputs.git);
    const after = await updateEvidence(inputs.repo, (e) => attestItem(e, assessment, itemId, { by, at: new Date() }));
    const zones = own(after.attestations, itemId)?.zones ?? [];
    io.stdout(`Confirmed "${title}" (${itemId}) as ${by} at ${at}${zones.length ? `, covering ${zones.join(', ')}` : ''}.\n`);
    return 0;
  },
};
