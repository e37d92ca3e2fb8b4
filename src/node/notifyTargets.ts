// Tells the policy's notify targets of an event: for each target whose `on` includes it, the URL
// from the secret it names, the payload of its kind, one webhook delivery each (all at once).
// Sign-off, an emergency and `change-control notify` all call this one function. It never
// throws for a target that could not be told: a failed notification is reported, and never
// undoes what it announces.
import { notificationsFor, payloadFor, type NotificationEvent, type NotificationTarget } from '../core/notify/message';
import type { NotifyKind, Policy } from '../core/policy/schema';
import { postWebhook, webhookUrlProblem, type RetryInfo, type WebhookOptions } from './webhooks';

/** Where secrets come from: the process environment in the CLI, the editor's secret storage in VS Code. */
export type Secrets = Readonly<Record<string, string | undefined>>;

export interface NotifyResult {
  /** The target's id in the policy, its title, kind and the name of its secret (never the URL). */
  id: string;
  title?: string;
  kind: NotifyKind;
  secret: string;
  /** `not-configured`: the secret is not set or holds no URL, so nothing was sent. */
  outcome: 'delivered' | 'failed' | 'not-configured';
  attempts: number;
  status: number | null;
  /** Why it was not delivered, naming the secret and never its value. */
  problem?: string;
}

export interface NotifyOptions extends Omit<WebhookOptions, 'onRetry'> {
  /** Told before each retry of a target. */
  onRetry?: (target: NotificationTarget, info: RetryInfo) => void;
}

/** The URL a target's secret holds, or why there is none (naming the secret, not its value). */
export function webhookUrlFor(target: NotificationTarget, secrets: Secrets): { url: string } | { problem: string } {
  const name = target.target.secret;
  const value = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
  if (value === undefined) return { problem: `${name} is not set` };
  if (!value.trim()) return { problem: `${name} is empty` };
  const problem = webhookUrlProblem(value);
  return problem ? { problem: `${name} ${problem}` } : { url: value.trim() };
}

/** Tells every target of the policy that listens for `event.event`; one result per target, in the policy's order. */
export async function notifyTargets(policy: Policy, event: NotificationEvent, secrets: Secrets, options: NotifyOptions = {}): Promise<NotifyResult[]> {
  const targets = notificationsFor(policy, event.event);
  return Promise.all(
    targets.map(async (t): Promise<NotifyResult> => {
      const base = { id: t.id, ...(t.target.title !== undefined ? { title: t.target.title } : {}), kind: t.target.kind, secret: t.target.secret };
      const where = webhookUrlFor(t, secrets);
      if ('problem' in where) return { ...base, outcome: 'not-configured', attempts: 0, status: null, problem: where.problem };
      const { onRetry, ...webhook } = options;
      const result = await postWebhook(where.url, payloadFor(t.target.kind, event), { ...webhook, ...(onRetry ? { onRetry: (info: RetryInfo) => onRetry(t, info) } : {}) });
      return result.ok
        ? { ...base, outcome: 'delivered', attempts: result.attempts, status: result.status }
        : { ...base, outcome: 'failed', attempts: result.attempts, status: result.status, problem: result.problem ?? 'failed' };
    }),
  );
}
