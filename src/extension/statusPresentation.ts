// Renders the status bar item from a RepositoryView: the level's title and the zones that fired,
// a background for the riskier levels, and a markdown tooltip listing every reason with a link to
// its file and line. Pure: the vscode side only copies these fields onto the item.
import type { Reason } from '../core/assessment';
import { headlineTagText } from '../core/report/summary';
import { Command, State } from './ids';
import type { RepositoryView } from './repositoryView';

export interface StatusPresentation {
  text: string;
  /** Markdown; links run `changeControl.openReason` (the only command the tooltip may run). */
  tooltip: string;
  background: 'warning' | 'error' | undefined;
  /** Accessible label read by screen readers. */
  ariaLabel: string;
}

const MAX_ZONES_IN_TEXT = 3;
const MAX_REASONS_IN_TOOLTIP = 20;

/** The background for a level: none for the first level, error for the top of three or more. */
export function levelBackground(index: number, levelCount: number): 'warning' | 'error' | undefined {
  if (index <= 0) return undefined;
  if (levelCount >= 3 && index === levelCount - 1) return 'error';
  return 'warning';
}

export function openReasonLink(root: string, path: string, line: number | null): string {
  const args = encodeURIComponent(JSON.stringify([root, path, line ?? 0]));
  return `command:${Command.openReason}?${args}`;
}

function md(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

/** A code span: markdown escapes do not apply inside one, so only backticks are replaced. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Markdown text with the message's own `code spans` kept as code and everything else escaped. */
function withCode(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? code(part.slice(1, -1)) : md(part)))
    .join('');
}

/** A reason as a tooltip line: its file and line as the link (once), then the rest of the sentence. */
function reasonLine(root: string, r: Reason): string {
  if (!r.path) return withCode(r.message);
  const where = `${r.path}${r.line ? `:${r.line}` : ''}`;
  const link = `[${md(where)}](${openReasonLink(root, r.path, r.line)})`;
  const rest = r.message.startsWith(where) ? r.message.slice(where.length) : ` ${r.message}`;
  return `${link}${withCode(rest)}`;
}

export function presentStatus(view: RepositoryView | undefined, options: { showName?: boolean } = {}): StatusPresentation {
  const prefix = view && options.showName ? `${view.name}: ` : '';
  const simple = (icon: string, label: string, tooltip: string, background?: 'warning' | 'error'): StatusPresentation => ({
    text: `$(${icon}) ${prefix}${label}`,
    tooltip,
    background,
    ariaLabel: `Change Control: ${prefix}${label}`,
  });
  if (!view) return simple('shield', 'Change Control', '**Change Control**\n\nOpen a folder that is a git repository.');
  switch (view.state) {
    case State.starting:
      return simple('sync~spin', 'Change Control', '**Change Control** is assessing the change…');
    case State.noFolder:
      return simple('shield', 'No folder', '**Change Control**\n\nOpen a folder that is a git repository.');
    case State.noRepository:
      return simple('shield', 'No repository', `**Change Control**\n\n${md(view.root)} is not in a git repository: there is no change to assess.`);
    case State.failed:
      return simple('error', 'Change Control', `**Change Control could not assess the change**\n\n${md(view.message ?? 'Unknown error.')}\n\nSee the log: *Change Control: Show Log*.`, 'error');
    default:
      break;
  }
  const a = view.assessment;
  if (view.state === State.policyError && !a) {
    const first = view.problems[0];
    const where = first ? `${first.file}:${first.line}:${first.column}: ${first.message}` : view.message ?? 'The policy could not be read.';
    return simple('warning', 'Policy error', `**The policy file has errors**\n\n${md(where)}\n\nSee the Problems panel.`, 'warning');
  }
  if (!a) return simple('sync~spin', 'Change Control', '**Change Control** is assessing the change…');

  const lines: string[] = [];
  const shownZones = headlineTagText(a, MAX_ZONES_IN_TEXT);
  let icon = 'shield';
  let label = a.level.title + (shownZones ? ` · ${shownZones}` : '');
  let background = levelBackground(a.level.index, a.levels.length);

  if (view.state === State.noChanges) {
    label = 'No changes';
    background = undefined;
  }
  if (a.emergency) {
    icon = 'flame';
    label = `Emergency · ${label}`;
    background = 'error';
  } else if (a.freeze) {
    icon = 'lock';
    label = `Freeze · ${label}`;
    background = a.freeze.mode === 'block' ? 'error' : 'warning';
  }
  if (a.signoff && view.state !== State.noChanges) {
    if (a.signoff.current) icon = 'verified';
    label = `${label} · ${a.signoff.current ? 'Signed off' : 'Sign-off outdated'}`;
  }
  if (view.state === State.policyError) {
    icon = 'warning';
    label = `Policy error · ${label}`;
    background = background ?? 'warning';
  }

  const policyName = a.policy.source.kind === 'file' ? code(a.policy.source.path) : `the built-in *${a.policy.source.name}* preset`;
  lines.push(`**Change Control: ${md(a.level.title)}**${view.state === State.noChanges ? ' (no changes)' : ''}`);
  lines.push('');
  const branch = a.repository.branch ?? 'detached HEAD';
  lines.push(`${md(view.name)} · ${code(branch)} compared with ${code(a.base.ref)} · ${a.files.length} file${a.files.length === 1 ? '' : 's'} changed · policy ${policyName}`);
  if (a.base.note) lines.push('', `$(info) ${md(a.base.note)}`);
  if (view.state === State.policyError) {
    lines.push('', `$(warning) The policy file has ${view.problems.length} problem${view.problems.length === 1 ? '' : 's'} (see Problems); the last good policy is still in force.`);
  }
  if (a.emergency) lines.push('', `$(flame) **Emergency** declared by ${md(a.emergency.by)}: ${md(a.emergency.reason)}`);
  if (a.signoff) {
    const record = a.signoff.url ? ` — [change record](${a.signoff.url})` : '';
    lines.push('', a.signoff.current ? `$(verified) **Signed off** by @${md(a.signoff.by)} at ${code(a.signoff.commit.slice(0, 7))}${record}` : `$(history) **Sign-off outdated**: @${md(a.signoff.by)} signed off ${code(a.signoff.commit.slice(0, 7))}; HEAD has moved on: sign off again${record}`);
  }
  if (a.freeze) lines.push('', `$(lock) **${md(a.freeze.title)}** (${a.freeze.from} – ${a.freeze.until}): ${a.freeze.mode === 'block' ? 'no change may ship' : 'emergency changes only'}.`);
  if (a.reasons.length) {
    lines.push('', `**Why this change is ${md(a.level.title.toLowerCase())}**`, '');
    for (const r of a.reasons.slice(0, MAX_REASONS_IN_TOOLTIP)) lines.push(`- ${reasonLine(view.root, r)}`);
    if (a.reasons.length > MAX_REASONS_IN_TOOLTIP) lines.push(`- …and ${a.reasons.length - MAX_REASONS_IN_TOOLTIP} more (Change Control: Show Assessment)`);
  }
  const open = a.progress.open;
  if (a.checklist.length) lines.push('', `${open === 0 ? '$(pass) Checklist complete' : `$(checklist) ${open} required item${open === 1 ? '' : 's'} open`} — click to show the checklist.`);
  return { text: `$(${icon}) ${prefix}${label}`, tooltip: lines.join('\n'), background, ariaLabel: `Change Control: ${prefix}${label}` };
}
