// A tick in the checklist: the engine records the attestation with the commit it was made at and
// the zones it covers, so later changes to those zones make it stale. Unticking withdraws it.
import { editEvidence, notify, whoAmI, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';

export async function toggleAttestation(ctx: CommandContext, root: string, itemId: string, checked: boolean): Promise<void> {
  const watch = ctx.repositories.all().find((w) => w.root === root);
  // An attestation records the zones of the change git listed, not of a save shown ahead of git.
  if (watch?.view.confirming) await watch.whenIdle();
  const a = watch?.view.assessment;
  if (!watch || !a) return;
  const engine = loadEngine();
  const title = a.checklist.find((c) => c.id === itemId)?.title ?? itemId;
  try {
    const by = await whoAmI(watch);
    const at = new Date();
    await editEvidence(watch, (e) => (checked ? engine.attest(e, a, itemId, { by, at }) : engine.withdraw(e, a, itemId)));
    ctx.log.info(`${watch.view.name}: "${title}" ${checked ? `confirmed by ${by} at ${a.repository.headSha?.slice(0, 7) ?? 'no commit'}` : 'withdrawn'}.`);
  } catch (err) {
    notify(ctx, 'error', `Change Control: could not record "${title}": ${(err as Error).message}`);
  }
}
