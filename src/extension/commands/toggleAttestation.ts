// A tick in the checklist: the attestation is recorded with the commit it was made at and the zones
// it covers, so later changes to those zones make it stale. Unticking withdraws it.
import { editEvidence, notify, whoAmI, type CommandContext } from '../commandContext';

export async function toggleAttestation(ctx: CommandContext, root: string, itemId: string, checked: boolean): Promise<void> {
  const watch = ctx.repositories.all().find((w) => w.root === root);
  const a = watch?.view.assessment;
  if (!watch || !a) return;
  const item = watch.view.policy?.policy.checklist[itemId];
  try {
    const by = await whoAmI(watch);
    await editEvidence(watch, (e) => {
      if (item?.kind === 'notification') {
        if (checked) e.notifications[itemId] = { by, at: new Date().toISOString() };
        else delete e.notifications[itemId];
        return;
      }
      if (checked) {
        const zones = item?.kind === 'attestation' && item.covers ? item.covers : a.zones;
        e.attestations[itemId] = { by, at: new Date().toISOString(), commit: a.repository.headSha, zones };
      } else {
        delete e.attestations[itemId];
      }
    });
    ctx.log.info(`${watch.view.name}: "${item?.title ?? itemId}" ${checked ? `confirmed by ${by} at ${a.repository.headSha?.slice(0, 7) ?? 'no commit'}` : 'withdrawn'}.`);
  } catch (err) {
    notify(ctx, 'error', `Change Control: could not record "${itemId}": ${(err as Error).message}`);
  }
}
