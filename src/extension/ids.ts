// Every id the extension shares with VS Code — commands, views, settings, context keys, the status
// bar item — declared once. package.json must agree with this file; test/vscode/unit/manifest.test.ts
// checks it. Nothing here imports `vscode`, so plain Node tests can read it.

export const EXTENSION_ID = 'changecontrol.change-control';
export const CATEGORY = 'Change Control';
export const OUTPUT_CHANNEL = 'Change Control';

export const Command = {
  signOff: 'changeControl.signOff',
  signOffStack: 'changeControl.signOffStack',
  declareEmergency: 'changeControl.declareEmergency',
  refresh: 'changeControl.refresh',
  createPolicy: 'changeControl.createPolicy',
  showAssessment: 'changeControl.showAssessment',
  editChangeRecord: 'changeControl.editChangeRecord',
  showLog: 'changeControl.showLog',
  setNotifyWebhook: 'changeControl.setNotifyWebhook',
  openAuditReport: 'changeControl.openAuditReport',
  // Commands behind tree items and links: hidden from the palette.
  runChecklistCommand: 'changeControl.runChecklistCommand',
  editChangeRecordField: 'changeControl.editChangeRecordField',
  openReason: 'changeControl.openReason',
  revealChecklist: 'changeControl.revealChecklist',
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

/** Titles shown in the command palette (prefixed by the category). */
export const COMMAND_TITLES: Record<CommandId, string> = {
  [Command.signOff]: 'Sign Off',
  [Command.signOffStack]: 'Sign Off Stack',
  [Command.declareEmergency]: 'Declare Emergency…',
  [Command.refresh]: 'Refresh',
  [Command.createPolicy]: 'Create Policy…',
  [Command.showAssessment]: 'Show Assessment',
  [Command.editChangeRecord]: 'Edit Change Record…',
  [Command.showLog]: 'Show Log',
  [Command.setNotifyWebhook]: 'Set Notification Webhook…',
  [Command.openAuditReport]: 'Open Audit Report',
  [Command.runChecklistCommand]: 'Run Checklist Command',
  [Command.editChangeRecordField]: 'Edit Change Record Field…',
  [Command.openReason]: 'Open Reason',
  [Command.revealChecklist]: 'Show Checklist',
};

/** Commands that only make sense from a tree item or a link. */
export const HIDDEN_COMMANDS: readonly CommandId[] = [
  Command.runChecklistCommand,
  Command.editChangeRecordField,
  Command.openReason,
  Command.revealChecklist,
];

export const ViewContainer = { changeControl: 'changeControl' } as const;
export const View = { checklist: 'changeControl.checklist' } as const;
export const VIEW_NAMES = { [View.checklist]: 'Checklist' } as const;

export const StatusBarItem = { risk: 'changeControl.risk' } as const;
/** The DOM id VS Code gives the status bar item: `${publisher}.${name}.${id}`. */
export const STATUS_BAR_ELEMENT_ID = `${EXTENSION_ID}.${StatusBarItem.risk}`;

/** The webview panel of Open Audit Report. */
export const AUDIT_REPORT_VIEW = 'changeControl.auditReport';

export const SETTINGS_SECTION = 'changeControl';
export const Setting = {
  policyFile: 'changeControl.policyFile',
  preset: 'changeControl.preset',
  baseBranch: 'changeControl.baseBranch',
  statusBarEnabled: 'changeControl.statusBar.enabled',
  fileDecorations: 'changeControl.decorations.files',
  lineDecorations: 'changeControl.decorations.lines',
  codeLens: 'changeControl.codeLens',
  debounceMs: 'changeControl.debounceMs',
  githubRepository: 'changeControl.github.repository',
} as const;
export type SettingId = (typeof Setting)[keyof typeof Setting];

export const ContextKey = {
  /** One of `State`: drives the welcome views. */
  state: 'changeControl.state',
  /** The active repository's level id, for menus. */
  level: 'changeControl.level',
  emergency: 'changeControl.emergency',
  /** Whether the active repository has a policy file (else a preset applies). */
  hasPolicyFile: 'changeControl.hasPolicyFile',
} as const;

/** What the extension knows about the repository it shows. Drives the status bar and welcome views. */
export const State = {
  starting: 'starting',
  noFolder: 'noFolder',
  noRepository: 'noRepository',
  noPolicy: 'noPolicy',
  policyError: 'policyError',
  noChanges: 'noChanges',
  assessed: 'assessed',
  failed: 'failed',
} as const;
export type StateId = (typeof State)[keyof typeof State];

/** Where the build writes the policy's JSON Schema (generated from the engine). */
export const POLICY_SCHEMA_PATH = './dist/policy.schema.json';

/** Theme colours the extension contributes (package.json contributes.colors). */
export const Color = {
  reasonLineBackground: 'changeControl.reasonLineBackground',
  reasonLineBorder: 'changeControl.reasonLineBorder',
  zoneFileForeground: 'changeControl.zoneFileForeground',
} as const;

/** The URI scheme of the read-only assessment reports Show Assessment opens. */
export const REPORT_SCHEME = 'change-control-report';

/** The FileDecoration scheme-independent badge for files in significant zones. */
export const DECORATION_BADGE = '⚑';
