// Owns what a notification says and who gets it: the event a door hands over (a sign-off, an
// emergency, a deploy starting or finished) as a plain value, rendered for each kind of target —
// Slack's incoming-webhook JSON, or Change Control's own versioned JSON document — and the policy's
// targets that are told of it. Pure: no I/O, and the URLs (the secrets) never come here.
import type { Assessment } from '../assessment';
import type { NotifyEvent, NotifyKind, Policy, PolicyNotifyTarget } from '../policy/schema';

/** The version of the generic webhook document; a change that removes or renames a field raises it. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** What happened, as every kind of target is told it. */
export interface NotificationEvent {
  event: NotifyEvent;
  /** `owner/name`, or null when the door cannot tell. */
  repository: string | null;
  /** Null on a detached HEAD. */
  branch: string | null;
  /** The commit the event is about; null before the first commit. */
  head: string | null;
  level: { id: string; title: string };
  /** Why the change is at its level: the reasons' labels, once each. */
  reasons: readonly string[];
  /** Who signed off (sign-off) or declared it (emergency); null when no one in particular did. */
  signer: string | null;
  /** Set when the change goes through the emergency path: why. */
  emergencyReason: string | null;
  pullRequestUrl: string | null;
  /** The record of the event: the sign-off's comment, the emergency's issue, the deploy's pipeline run. */
  recordUrl: string | null;
  /** ISO time of the event. */
  at: string;
}

/** Slack's incoming-webhook message: `text` is the fallback (notifications, old clients), `blocks` the message. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] };

/** The generic webhook document: stable, documented fields (README, "Notifications"). */
export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  source: 'change-control';
  event: NotifyEvent;
  /** `before` or `after` for the deploy events, null otherwise. */
  phase: 'before' | 'after' | null;
  /** The message in one line of plain text. */
  text: string;
  repository: string | null;
  branch: string | null;
  head: string | null;
  level: { id: string; title: string };
  reasons: string[];
  signer: string | null;
  emergency: { reason: string } | null;
  /** The one link to follow: the record of the event, else the pull request. */
  url: string | null;
  pullRequestUrl: string | null;
  recordUrl: string | null;
  at: string;
}

/** A target told of an event: its id in the policy and what the policy says of it. */
export interface NotificationTarget {
  id: string;
  target: PolicyNotifyTarget;
}

/** The targets of the policy whose `on` includes the event, in the policy's order. */
export function notificationsFor(policy: Policy, event: NotifyEvent): NotificationTarget[] {
  return Object.entries(policy.notify)
    .filter(([, target]) => target.on.includes(event))
    .map(([id, target]) => ({ id, target }));
}

/** What is sent to a target of this kind. */
export function payloadFor(kind: NotifyKind, event: NotificationEvent): SlackPayload | WebhookPayload {
  return kind === 'slack' ? slackPayload(event) : webhookPayload(event);
}

/** How a door names a target in what it prints: never the URL, which is the secret, but where it comes from. */
export function describeTarget(t: { id: string; title?: string; kind: NotifyKind; secret: string }): string {
  return `${t.id}${t.title ? ` (${t.title})` : ''}, ${t.kind} via $${t.secret}`;
}

/**
 * The event of an assessment: its level and reasons, the branch and commit, the emergency if one
 * is declared. A content rule's reason is named by its zone only: its label quotes the matched
 * text, which may be the very secret the rule caught, and a chat channel is no place for it.
 */
export function eventFromAssessment(
  assessment: Assessment,
  details: { event: NotifyEvent; at: Date; repository: string | null; signer?: string | null; pullRequestUrl?: string | null; recordUrl?: string | null },
): NotificationEvent {
  const zoneTitle = (id: string) => assessment.zones.find((z) => z.id === id)?.title ?? id;
  const reasons = [...new Set(assessment.reasons.map((r) => (r.rule === 'content' ? zoneTitle(r.id) : r.label)))];
  return {
    event: details.event,
    repository: details.repository,
    branch: assessment.repository.branch,
    head: assessment.head ?? assessment.repository.headSha,
    level: { id: assessment.level.id, title: assessment.level.title },
    reasons,
    signer: details.signer ?? null,
    emergencyReason: assessment.emergency?.reason ?? null,
    pullRequestUrl: details.pullRequestUrl ?? null,
    recordUrl: details.recordUrl ?? null,
    at: details.at.toISOString(),
  };
}

const HEADLINE: Record<NotifyEvent, string> = {
  signoff: 'Signed off',
  emergency: 'Emergency declared',
  'before-deploy': 'Deploying',
  'after-deploy': 'Deployed',
};

/** Slack shows at most 3,000 characters in a section; a few reasons say enough. */
const MAX_REASONS = 10;
const MAX_SECTION = 3000;

export function slackPayload(e: NotificationEvent): SlackPayload {
  const code = (s: string) => `\`${slackEscape(s)}\``;
  const what = [e.repository ? slackEscape(e.repository) : null, e.branch ? code(e.branch) : null].filter(Boolean).join(' ') || 'a change';
  const at = e.head ? ` at ${code(e.head.slice(0, 7))}` : '';
  const by = e.signer && (e.event === 'signoff' || e.event === 'emergency') ? ` by ${slackEscape(e.signer)}` : '';
  const lines = [`*${HEADLINE[e.event]}*: ${what}${at}${by}`, `Level: *${slackEscape(e.level.title)}*${reasonsText(e.reasons, slackEscape)}`];
  if (e.emergencyReason) lines.push(`Emergency: ${slackEscape(e.emergencyReason)}`);
  const links = [slackLink(e.pullRequestUrl, 'Pull request'), slackLink(e.recordUrl, e.event === 'signoff' ? 'Sign-off record' : 'Record')].filter(Boolean);
  if (links.length) lines.push(links.join(' · '));
  return {
    text: slackEscape(plainText(e)),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clipText(lines.join('\n'), MAX_SECTION) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Change Control · ${slackDate(e.at)}` }] },
    ],
  };
}

export function webhookPayload(e: NotificationEvent): WebhookPayload {
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    source: 'change-control',
    event: e.event,
    phase: e.event === 'before-deploy' ? 'before' : e.event === 'after-deploy' ? 'after' : null,
    text: plainText(e),
    repository: e.repository,
    branch: e.branch,
    head: e.head,
    level: { id: e.level.id, title: e.level.title },
    reasons: [...e.reasons],
    signer: e.signer,
    emergency: e.emergencyReason ? { reason: e.emergencyReason } : null,
    url: e.recordUrl ?? e.pullRequestUrl,
    pullRequestUrl: e.pullRequestUrl,
    recordUrl: e.recordUrl,
    at: e.at,
  };
}

/** The message in one line: Slack's fallback text and the webhook document's `text`. */
export function plainText(e: NotificationEvent): string {
  const what = [e.repository, e.branch].filter(Boolean).join(' ') || 'a change';
  const at = e.head ? ` at ${e.head.slice(0, 7)}` : '';
  const by = e.signer && (e.event === 'signoff' || e.event === 'emergency') ? ` by ${e.signer}` : '';
  const emergency = e.emergencyReason ? ` Emergency: ${e.emergencyReason}` : '';
  return `${HEADLINE[e.event]}: ${what}${at}${by} — ${e.level.title}${reasonsText(e.reasons, (s) => s)}.${emergency}`;
}

function reasonsText(reasons: readonly string[], escape: (s: string) => string): string {
  if (reasons.length === 0) return '';
  const shown = reasons.slice(0, MAX_REASONS).map(escape).join(', ');
  return ` (${shown}${reasons.length > MAX_REASONS ? ` and ${reasons.length - MAX_REASONS} more` : ''})`;
}

/**
 * Slack's own escaping: `&`, `<` and `>` become entities, and nothing else is touched. Without it
 * a branch or reason could carry `<!channel>` or a link of its own into the channel.
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>` for an http(s) URL; the characters that would end the link are percent-encoded. */
function slackLink(url: string | null, label: string): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  const safe = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/\s/g, '%20');
  return `<${safe}|${slackEscape(label)}>`;
}

/** Slack shows `<!date^…>` in each reader's own time zone; the ISO time is the fallback. */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return slackEscape(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${slackEscape(new Date(ms).toISOString())}>`;
}

/** Clips at a line end when it can, never inside an entity it made. */
function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const end = cut.lastIndexOf('\n');
  const safe = (end > max / 2 ? cut.slice(0, end) : cut).replace(/&[a-z]*$/, '');
  return `${safe}…`;
}
