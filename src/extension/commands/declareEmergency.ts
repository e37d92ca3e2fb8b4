// Declares (or withdraws) the emergency path for the branch: recorded with who, when and why; the
// policy's emergency checklist then replaces the level's, and the post-implementation review is due.
import * as vscode from 'vscode';
import { assessedRepository, editEvidence, notify, notifySecrets, whoAmI, type CommandContext } from '../commandContext';
import { loadEngine } from '../engineLoader';

/** `reason` skips the prompts (for keybindings and tests). */
export async function declareEmergency(ctx: CommandContext, root?: unknown, reason?: string): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const engine = loadEngine();
  const a = watch.view.assessment!;
  const branch = a.repository.branch ?? 'this detached HEAD';
  if (a.emergency && reason === undefined) {
    const withdraw = await vscode.window.showWarningMessage(
      `An emergency was declared for ${branch} by ${a.emergency.by}: ${a.emergency.reason}`,
      { modal: true },
      'Withdraw Emergency',
    );
    if (withdraw) {
      await editEvidence(watch, (e) => engine.withdrawEmergency(e));
      notify(ctx, 'info', `Change Control: the emergency for ${branch} was withdrawn.`);
    }
    return;
  }
  const path = a.emergencyPath;
  const why =
    reason ??
    (await vscode.window.showInputBox({
      title: `Declare Emergency for ${branch}`,
      prompt: path
        ? `The emergency checklist replaces the ${a.level.title} checklist${path.reviewWithin ? `; a post-implementation review is due within ${path.reviewWithin}` : ''}.`
        : 'This policy has no emergency path: the declaration is recorded, the checklist stays the same.',
      placeHolder: 'Why is this an emergency? (e.g. "Checkout is down for all EU customers")',
      ignoreFocusOut: true,
      validateInput: (v) => engine.validateEmergencyReason(v),
    }));
  if (!why?.trim()) return;
  const by = await whoAmI(watch);
  try {
    await editEvidence(watch, (e) => engine.declareEmergency(e, why, { by, at: new Date() }));
  } catch (err) {
    notify(ctx, 'error', `Change Control: the emergency could not be recorded: ${(err as Error).message}`);
    return;
  }
  notify(ctx, 'warning', `Change Control: emergency declared for ${branch} by ${by}.`);
  // The policy's targets hear of it now; one that cannot be told is reported and changes nothing recorded.
  const policy = watch.assessedWith?.loaded.policy;
  const after = watch.view.assessment;
  if (!policy || !after || Object.keys(policy.notify).length === 0) return;
  const secrets = await notifySecrets(ctx, Object.values(policy.notify).map((t) => t.secret));
  const results = await engine.notifyTargets(policy, engine.eventFromAssessment(after, { event: 'emergency', at: new Date(), repository: null, signer: by }), secrets);
  const delivered = results.filter((r) => r.outcome === 'delivered').map((r) => ({ target: r.id, event: 'emergency' as const }));
  if (delivered.length) await editEvidence(watch, (e) => engine.recordDeliveries(e, policy, after, delivered, { by, at: new Date() }));
  const untold = results.filter((r) => r.outcome !== 'delivered');
  if (untold.length) notify(ctx, 'warning', `Change Control: ${untold.map((r) => `${engine.describeTarget(r)} was not told: ${r.problem}`).join('; ')}. Set a webhook with Change Control: Set Notification Webhook…`);
}
