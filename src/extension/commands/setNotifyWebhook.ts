// Change Control: Set Notification Webhook… — keeps a notify target's webhook URL in VS Code's
// secret storage (the policy names only the secret; a URL is the secret). Never in settings,
// logs or files; the input is masked.
import * as vscode from 'vscode';
import { assessedRepository, notify, notifySecretKey, type CommandContext } from '../commandContext';

/** `target` and `url` skip the prompts (tests); an empty `url` forgets the stored one. */
export async function setNotifyWebhook(ctx: CommandContext, root?: string, targetArg?: string, urlArg?: string): Promise<void> {
  const watch = await assessedRepository(ctx, root);
  if (!watch) return;
  const targets = Object.entries(watch.assessedWith?.loaded.policy.notify ?? {});
  if (targets.length === 0) {
    notify(ctx, 'info', 'Change Control: the policy names no notify targets (`notify:` in the policy file).');
    return;
  }
  const id =
    targetArg ??
    (
      await vscode.window.showQuickPick(
        targets.map(([tid, t]) => ({ label: tid, description: `${t.kind} · $${t.secret}`, detail: t.title })),
        { title: 'Set Notification Webhook', placeHolder: 'Which notify target?' },
      )
    )?.label;
  const target = targets.find(([tid]) => tid === id)?.[1];
  if (!id || !target) return;
  const url =
    urlArg ??
    (await vscode.window.showInputBox({
      title: `Webhook URL for ${id} (${target.secret})`,
      prompt: 'Kept in VS Code’s secret storage on this machine. Empty forgets it.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || /^https:\/\/\S+$/.test(v.trim()) ? undefined : 'An https:// URL, e.g. the incoming webhook Slack gave you.'),
    }));
  if (url === undefined) return;
  if (url.trim() === '') {
    await ctx.secrets.delete(notifySecretKey(target.secret));
    notify(ctx, 'info', `Change Control: forgot the webhook of ${id}.`);
    return;
  }
  await ctx.secrets.store(notifySecretKey(target.secret), url.trim());
  notify(ctx, 'info', `Change Control: the webhook of ${id} is kept in secret storage; sign-offs will tell it.`);
}
