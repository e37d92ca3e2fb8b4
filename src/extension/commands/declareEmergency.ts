// Declares (or withdraws) the emergency path for the branch: recorded with who, when and why; the
// policy's emergency checklist then replaces the level's, and the post-implementation review is due.
import * as vscode from 'vscode';
import { assessedRepository, editEvidence, notify, whoAmI, type CommandContext } from '../commandContext';

/** `reason` skips the prompts (for keybindings and tests). */
export async function declareEmergency(ctx: CommandContext, root?: unknown, reason?: string): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const a = watch.view.assessment!;
  const branch = a.repository.branch ?? 'this detached HEAD';
  if (a.emergency && reason === undefined) {
    const withdraw = await vscode.window.showWarningMessage(
      `An emergency was declared for ${branch} by ${a.emergency.by}: ${a.emergency.reason}`,
      { modal: true },
      'Withdraw Emergency',
    );
    if (withdraw) {
      await editEvidence(watch, (e) => {
        delete e.emergency;
      });
      notify(ctx, 'info', `Change Control: the emergency for ${branch} was withdrawn.`);
    }
    return;
  }
  const emergencyPath = watch.view.policy?.policy.emergency;
  const why =
    reason ??
    (await vscode.window.showInputBox({
      title: `Declare Emergency for ${branch}`,
      prompt: emergencyPath
        ? `The emergency checklist replaces the ${a.level.title} checklist${emergencyPath.postReview ? `; a post-implementation review is due within ${emergencyPath.postReview.within}` : ''}.`
        : 'This policy has no emergency path: the declaration is recorded, the checklist stays the same.',
      placeHolder: 'Why is this an emergency? (e.g. "Checkout is down for all EU customers")',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length < 5 ? 'Say why, in a few words: it goes into the change record.' : undefined),
    }));
  if (!why?.trim()) return;
  const by = await whoAmI(watch);
  await editEvidence(watch, (e) => {
    e.emergency = { declaredAt: new Date().toISOString(), by, reason: why.trim() };
  });
  notify(ctx, 'warning', `Change Control: emergency declared for ${branch} by ${by}.`);
}
