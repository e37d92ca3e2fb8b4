// The checklist view's content as plain nodes, built from RepositoryViews: why the change has its
// level, the checklist for that level, and the change record fields the policy asks for. Pure (no
// `vscode`), so it is tested in plain Node; checklistTree.ts maps nodes to TreeItems.
import type { ChecklistEntry, Reason } from '../core/assessment';
import { headline } from '../core/report/summary';
import { Command, State } from './ids';
import type { RepositoryView } from './repositoryView';

export interface NodeCommand {
  command: string;
  title: string;
  arguments?: unknown[];
}

export interface ChecklistNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, and optionally a theme color id for it. */
  icon?: { id: string; color?: string };
  /** For attestations: the checkbox the user ticks. */
  checkbox?: boolean;
  /** Drives the inline actions in package.json (`viewItem == ...`). */
  contextValue?: string;
  command?: NodeCommand;
  /** A web page the row opens (the change record of a sign-off). */
  link?: string;
  expanded?: boolean;
  children?: ChecklistNode[];
  /** What the node stands for, for commands invoked on it. */
  ref?: { root: string; itemId?: string; field?: string };
}

export const NodeContext = {
  command: 'command',
  commandRunning: 'commandRunning',
  commandUntrusted: 'commandUntrusted',
  attestation: 'attestation',
  recordField: 'recordField',
  item: 'item',
} as const;

const STATE_ICON: Record<ChecklistEntry['state'], { id: string; color?: string }> = {
  done: { id: 'pass-filled', color: 'testing.iconPassed' },
  pending: { id: 'circle-large-outline' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  'not-applicable': { id: 'circle-slash', color: 'disabledForeground' },
};

export interface ModelOptions {
  activeRoot?: string;
}

/** The tree's roots. Empty when the welcome view should explain the state instead. */
export function buildChecklistTree(views: readonly RepositoryView[], options: ModelOptions): ChecklistNode[] {
  if (views.length === 0) return [];
  if (views.length === 1) {
    const only = views[0];
    return hasContent(only) ? repositoryChildren(only) : [];
  }
  return views.map((view) => ({
    id: `${view.root}|repo`,
    label: view.name,
    description: repositoryDescription(view),
    tooltip: view.root,
    icon: { id: 'repo' },
    expanded: view.root === options.activeRoot,
    children: hasContent(view) ? repositoryChildren(view) : [notice(view, 'state', stateSentence(view), 'info')],
  }));
}

function hasContent(view: RepositoryView): boolean {
  return view.assessment !== undefined && view.state !== State.noChanges;
}

function repositoryDescription(view: RepositoryView): string {
  const a = view.assessment;
  switch (view.state) {
    case State.noRepository:
      return 'not a git repository';
    case State.noChanges:
      return 'no changes';
    case State.failed:
      return 'could not be assessed';
    case State.starting:
      return 'assessing…';
    case State.policyError:
      return a ? `${a.level.title} · policy error` : 'policy error';
    default:
      return a ? headline(a) : '';
  }
}

function stateSentence(view: RepositoryView): string {
  switch (view.state) {
    case State.noRepository:
      return 'Not a git repository: nothing to assess.';
    case State.noChanges:
      return `No changes compared with ${view.assessment?.base.ref ?? 'the base branch'}.`;
    case State.failed:
      return view.message ?? 'Could not be assessed: see the log.';
    case State.policyError:
      return 'The policy file has errors: see the Problems panel.';
    default:
      return 'Assessing…';
  }
}

function notice(view: RepositoryView, key: string, label: string, icon: string, extra: Partial<ChecklistNode> = {}): ChecklistNode {
  return { id: `${view.root}|notice|${key}`, label, icon: { id: icon }, tooltip: label, ...extra };
}

function repositoryChildren(view: RepositoryView): ChecklistNode[] {
  const a = view.assessment!;
  const out: ChecklistNode[] = [];

  // Notices: what the reader must know before trusting the rest.
  if (view.state === State.policyError) {
    out.push(
      notice(view, 'policy-error', `Policy file has ${view.problems.length} problem${view.problems.length === 1 ? '' : 's'}: the last good policy is in force`, 'warning', {
        command: { command: 'workbench.actions.view.problems', title: 'Show Problems' },
      }),
    );
  }
  if (a.policy.source.kind === 'preset') {
    out.push(
      notice(view, 'preset', `No policy file: the built-in ${a.policy.source.name} preset applies`, 'info', {
        description: 'Create Policy…',
        command: { command: Command.createPolicy, title: 'Create Policy…', arguments: [view.root] },
      }),
    );
  }
  if (!view.trusted && a.checklist.some((c) => c.kind === 'command')) {
    out.push(
      notice(view, 'untrusted', 'Workspace not trusted: the policy’s commands will not run', 'workspace-untrusted', {
        tooltip: 'Change Control never runs the commands a policy names in an untrusted workspace. Trust the workspace to run them.',
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      }),
    );
  }
  if (a.emergency) {
    out.push(notice(view, 'emergency', `Emergency declared by ${a.emergency.by}: ${a.emergency.reason}`, 'flame', { description: a.emergency.reviewDue ? `review due ${a.emergency.reviewDue.slice(0, 16).replace('T', ' ')}` : undefined }));
  }
  if (a.freeze) {
    out.push(notice(view, 'freeze', `${a.freeze.title}: ${a.freeze.mode === 'block' ? 'no change may ship' : 'emergency changes only'}`, 'lock', { description: `${a.freeze.from} – ${a.freeze.until}` }));
  }
  a.notes.forEach((n, i) => out.push(notice(view, `note-${i}`, n, 'info')));

  // Why.
  const reasons: ChecklistNode[] = a.reasons.map((r, i) => reasonNode(view, r, i));
  if (reasons.length === 0) {
    reasons.push(notice(view, 'no-reason', `No rule raised the level: ${a.level.title}`, 'check'));
  }
  out.push({
    id: `${view.root}|why`,
    // Rows stay short enough for the default side-bar width; the tooltip says it in full.
    label: `Why ${a.level.title}`,
    description: `${a.files.length} file${a.files.length === 1 ? '' : 's'} since ${a.base.ref}`,
    tooltip: `Why this change is ${a.level.title}: ${a.files.length} file${a.files.length === 1 ? '' : 's'} changed since ${a.base.ref} (${a.base.sha.slice(0, 7)}).${a.base.note ? `\n\n${a.base.note}` : ''}`,
    icon: { id: 'shield' },
    expanded: true,
    children: reasons,
  });

  // Checklist.
  out.push({
    id: `${view.root}|checklist`,
    label: `Checklist · ${a.emergency ? 'Emergency' : a.level.title}`,
    description: `${a.progress.done} of ${a.progress.required} done`,
    tooltip: `${a.progress.done} of ${a.progress.required} required items done${a.progress.open ? `; ${a.progress.open} still open` : ''}.`,
    icon: { id: 'checklist' },
    expanded: true,
    children: a.checklist.map((entry) => itemNode(view, entry)),
  });

  // Change record: every field the change's checklist asks for.
  if (a.changeRecord.length) {
    out.push({
      id: `${view.root}|record`,
      label: 'Change record',
      description: `${a.changeRecord.filter((f) => !f.value).length} missing`,
      icon: { id: 'notebook' },
      expanded: true,
      children: a.changeRecord.map(({ id, title, value }) => ({
        id: `${view.root}|field|${id}`,
        label: title,
        description: value ? firstLine(value) : 'missing',
        tooltip: value ? `${title}:\n\n${value}` : `${title}: not filled in yet. Click to fill it in.`,
        icon: value ? { id: 'pass-filled', color: 'testing.iconPassed' } : { id: 'edit' },
        contextValue: NodeContext.recordField,
        command: { command: Command.editChangeRecordField, title: 'Edit', arguments: [view.root, id] },
        ref: { root: view.root, field: id },
      })),
    });
  }
  return out;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

function reasonNode(view: RepositoryView, r: Reason, i: number): ChecklistNode {
  const where = r.path ? `${r.path}${r.line ? `:${r.line}` : ''}` : undefined;
  return {
    id: `${view.root}|why|${i}`,
    label: where ?? r.label,
    description: where ? r.label : r.levelTitle,
    tooltip: r.message,
    icon: { id: r.rule === 'freeze' ? 'lock' : r.rule === 'components' ? 'layers' : r.rule.startsWith('migration') ? 'database' : r.line ? 'symbol-key' : 'file' },
    command: r.path ? { command: Command.openReason, title: 'Open', arguments: [view.root, r.path, r.line ?? 0] } : undefined,
  };
}

function itemNode(view: RepositoryView, entry: ChecklistEntry): ChecklistNode {
  const running = view.running.has(entry.id);
  const optional = entry.required ? '' : ' · optional';
  let description = entry.stale ? 'stale' : entry.state === 'done' ? 'done' : entry.state === 'failed' ? 'failed' : entry.state === 'not-applicable' ? 'later' : 'to do';
  let icon = entry.stale ? { id: 'history', color: 'list.warningForeground' } : STATE_ICON[entry.state];
  let contextValue: string = NodeContext.item;
  let command: NodeCommand | undefined;
  // The row is cut at a narrow side bar: the tooltip has the whole title and why.
  let tooltip = `${entry.title}${entry.required ? '' : ' (optional)'}\n\n${entry.why}`;
  if (entry.kind === 'command') {
    contextValue = running ? NodeContext.commandRunning : view.trusted ? NodeContext.command : NodeContext.commandUntrusted;
    if (running) {
      description = 'running…';
      icon = { id: 'sync~spin' };
    } else if (!view.trusted) {
      description = `${description} · untrusted`;
      tooltip += '\n\nNot run: the workspace is not trusted.';
    }
    if (entry.command) tooltip += `\n\nCommand: ${entry.command}`;
  } else if (entry.kind === 'change-request') {
    command = { command: Command.editChangeRecord, title: 'Edit Change Record…', arguments: [view.root] };
  }
  if (entry.url) tooltip += `\n\nChange record: ${entry.url}`;
  const checkable = entry.attestable;
  if (checkable) contextValue = NodeContext.attestation;
  return {
    id: `${view.root}|item|${entry.id}`,
    label: entry.title,
    description: description + optional,
    tooltip,
    // A checkbox already shows the state; an icon beside it only when it says more (stale).
    icon: checkable && !entry.stale ? undefined : icon,
    checkbox: checkable ? entry.state === 'done' : undefined,
    contextValue,
    command,
    ...(entry.url && !command ? { link: entry.url } : {}),
    ref: { root: view.root, itemId: entry.id },
  };
}

/** Required items still open: the view's badge. */
export function openRequiredCount(view: RepositoryView | undefined): number {
  const a = view?.assessment;
  if (!a || view?.state === State.noChanges) return 0;
  return a.progress.open;
}
