// The policy file's schema: the one source of truth for what a policy may say. Types, validation
// and the JSON Schema that editors use for completion are all derived from these definitions.
import { z } from 'zod';
import { OPERATION_KINDS, MIGRATION_FRAMEWORKS } from '../migrations/types';
import { contentPatternProblem, MAX_CONTENT_PATTERN_LENGTH } from './contentPattern';
import { braceShape, normaliseGlob } from './globShape';
import { CHANGE_REQUEST_FIELDS } from './changeRequestFields';
import { clipText, closest } from './closest';
import { POLICY_FILE_BYTES } from './source';

export { clipText, closest } from './closest';

export const POLICY_VERSION = 1;

/**
 * Limits on sizes, enforced at validation so that no policy makes loading, matching or messages
 * slow: a policy is written by hand, and these are far beyond what one needs. The README lists them.
 */
export const LIMITS = {
  /** Characters of an id (level, zone, item, component, field, target). */
  idLength: 64,
  /** Characters of any other text: titles, descriptions, commands. */
  textLength: 10_000,
  /** Characters of a glob. */
  globLength: 1000,
  /** Paths one glob stands for once its braces are expanded (`{a,b}{c,d}` is 4). */
  globAlternatives: 256,
  /** How deeply braces nest in a glob (`{a,{b,c}}` is 2). */
  globBraceDepth: 5,
  /** Entries of any list, and of any mapping of ids. */
  listEntries: 1000,
  /** Lists and mappings inside one another (a policy needs about 5). */
  nesting: 64,
  /** Bytes of the policy file. */
  fileBytes: POLICY_FILE_BYTES,
} as const;

/** Any text, bounded; longer is refused before any other check runs on it. */
function text() {
  return z.string().max(LIMITS.textLength, { abort: true });
}

/** Any list, bounded. */
function list<T extends z.ZodType>(item: T) {
  return z.array(item).max(LIMITS.listEntries);
}

/** Ids of levels, zones, items and components: what people type and what JSON output carries. */
const Id = z
  .string()
  .max(LIMITS.idLength, { abort: true })
  .regex(/^[a-z][a-z0-9_-]*$/, 'an id: lowercase letters, digits, "-" or "_", starting with a letter');

const Text = text().min(1, 'a non-empty text');
const Glob = z
  .string()
  .min(1, 'a non-empty glob such as "src/auth/**"')
  .max(LIMITS.globLength, { abort: true })
  .superRefine((glob, ctx) => {
    const problem = globProblem(glob);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** Durations like `48h`, `2d`, `90m`. */
export const Duration = z
  .string()
  .regex(/^\d+\s*[mhdw]$/, 'a duration such as "48h", "2d" or "90m"');

const Level = z
  .strictObject({
    id: Id,
    title: Text,
    description: text().optional(),
    /** Ids of checklist items this level requires. */
    checklist: list(Id).default([]),
  })
  .describe('A change level. Levels are listed from the least to the most risky.');

export { CHANGE_REQUEST_FIELDS } from './changeRequestFields';

const itemBase = {
  title: Text,
  description: text().optional(),
  /** Optional items are shown but never block. */
  required: z.boolean().default(true),
};

const CommandItem = z.strictObject({
  kind: z.literal('command'),
  ...itemBase,
  run: Text.describe(
    'Shell command run from the repository root, e.g. "npm test"; "auto" picks the test command of the project (npm test, mix test, go test ./..., pytest, ...).',
  ),
});
const AttestationItem = z.strictObject({
  kind: z.literal('attestation'),
  ...itemBase,
  /** Zones whose later changes make this attestation stale. Default: the zones that fired when it was made. */
  covers: list(Id).optional(),
});
/** Who may approve: named users and teams, the owners of the zones that fired, the code owners of the changed files. */
const approverFields = {
  users: list(text().regex(/^@?[A-Za-z0-9-]+$/, 'a GitHub user name such as "@octocat"')).default([]),
  teams: list(text().regex(/^@?[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, 'a GitHub team such as "@org/team"')).default([]),
  /** Each zone that fired needs an approval from one of its `owners`. */
  zoneOwners: z.boolean().default(false),
  /** Every changed file that has code owners (the base's CODEOWNERS) needs an approval from one of them. */
  codeOwners: z.boolean().default(false),
};
const Approvers = z.strictObject(approverFields);
const ApproverGroup = z
  .strictObject({
    title: Text.optional().describe('Who this group is, e.g. "Head of Engineering".'),
    ...approverFields,
    /** Approvals needed from this group's users and teams (distinct people). */
    count: z.number().int().min(1).default(1),
  })
  .describe('One group of approvers; every group of `allOf` must approve, each through different people.');
const ApprovalItem = z.strictObject({
  kind: z.literal('approval'),
  ...itemBase,
  /** Approvers, any `count` of them. Without `from` and `allOf`: any reviewer with write access. */
  from: Approvers.optional(),
  count: z.number().int().min(1).default(1),
  /** Several groups that must all approve (e.g. the Head of Engineering AND the Incident Commander), each by a different person. */
  allOf: list(ApproverGroup).min(1).optional(),
  /** Count an approval given on an earlier commit than HEAD. Default: only approvals of HEAD count. */
  acceptEarlierCommits: z.boolean().default(false),
});
const ReviewsResolvedItem = z.strictObject({ kind: z.literal('reviews-resolved'), ...itemBase });
const ChangeRequestItem = z.strictObject({
  kind: z.literal('change-request'),
  ...itemBase,
  fields: z
    .array(z.union([z.enum(Object.keys(CHANGE_REQUEST_FIELDS) as [keyof typeof CHANGE_REQUEST_FIELDS]), Id]))
    .min(1, 'at least one field, e.g. [description, deployment-plan, rollback-plan, risk-assessment]'),
});
const SignoffItem = z.strictObject({ kind: z.literal('signoff'), ...itemBase });
const NotificationItem = z.strictObject({
  kind: z.literal('notification'),
  ...itemBase,
  /** Ids of `notify` targets. */
  targets: list(Id).min(1),
});
const ReviewItem = z.strictObject({
  kind: z.literal('review'),
  ...itemBase,
  /** How many reviewers, of anyone. */
  count: z.number().int().min(1).default(1),
});
const PostReviewItem = z.strictObject({
  kind: z.literal('post-review'),
  ...itemBase,
  within: Duration.optional(),
});

export const CHECKLIST_KINDS = [
  'command',
  'attestation',
  'approval',
  'review',
  'reviews-resolved',
  'change-request',
  'signoff',
  'notification',
  'post-review',
] as const;

const ChecklistItem = z.discriminatedUnion('kind', [
  CommandItem,
  AttestationItem,
  ApprovalItem,
  ReviewItem,
  ReviewsResolvedItem,
  ChangeRequestItem,
  SignoffItem,
  NotificationItem,
  PostReviewItem,
]);

const Zone = z.strictObject({
  title: Text,
  description: text().optional(),
  paths: list(Glob).default(['**']).describe('Globs of the paths in this zone.'),
  exclude: list(Glob).default([]),
  content: z
    .array(
      z
        .string()
        .min(1)
        .max(MAX_CONTENT_PATTERN_LENGTH, { abort: true })
        .superRefine((pattern, ctx) => {
          const problem = regexProblem(pattern);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .default([])
    .describe(
      'Regular expressions matched on changed lines (added or removed) of files in `paths`. When given, the zone fires only on a matching line.',
    ),
  /** Make content patterns case-insensitive. */
  ignoreCase: z.boolean().default(false),
  level: Id.describe('The level a change in this zone is raised to.'),
  checklist: list(Id).default([]).describe('Extra checklist items this zone requires.'),
  owners: list(text()).default([]).describe('GitHub users or teams who own the zone.'),
});

const Components = z.strictObject({
  /** Infer components from workspaces, umbrella apps, Go modules, Cargo workspaces or top-level folders. */
  infer: z.boolean().default(true),
  /** Components by id, each a list of globs. Takes precedence over inference. */
  define: z.record(Id, list(Glob).min(1)).default({}),
  /** A change touching at least this many components is raised to `level`. */
  threshold: z.number().int().min(2).default(2),
  level: Id,
});

const Migrations = z.strictObject({
  /** The level a migration beyond the allowed operations raises the change to. */
  level: Id,
  allowed: list(z.enum(OPERATION_KINDS)).default(['add_column', 'remove_column']),
  /** Editing a migration that already exists on the base branch is a reason by itself. */
  historyRewrite: z.boolean().default(true),
  /** Override where each framework's migrations live (globs). */
  paths: z.partialRecord(z.enum(MIGRATION_FRAMEWORKS), list(Glob)).default({}),
  /** Extra checklist items a schema change beyond the allowed operations requires. */
  checklist: list(Id).default([]),
});

const Emergency = z.strictObject({
  title: Text.default('Emergency'),
  description: text().optional(),
  /** Items that replace the level's checklist when the emergency path is declared. */
  checklist: list(Id).default([]),
  postReview: z
    .strictObject({
      within: Duration,
      checklist: list(Id).default([]),
    })
    .optional(),
});

const IsoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'a date such as "2026-12-20" or "2026-12-20T18:00:00Z"',
  });

const Freeze = z.strictObject({
  title: Text,
  from: IsoDate,
  until: IsoDate.describe('Inclusive when a plain date is given.'),
  /** `block`: no change may ship. `emergency-only`: only through the emergency path. */
  mode: z.enum(['block', 'emergency-only']).default('emergency-only'),
});

/** When a notify target is told. A deploy pipeline announces the two deploy events (`change-control notify --phase`). */
export const NOTIFY_EVENTS = ['signoff', 'emergency', 'before-deploy', 'after-deploy'] as const;
/** `slack`: Slack's incoming-webhook JSON (`text` and `blocks`); `webhook`: Change Control's own JSON document. */
export const NOTIFY_KINDS = ['slack', 'webhook'] as const;

/** A webhook's URL is its secret: anything that looks like one. */
export function looksLikeUrl(value: unknown): boolean {
  return typeof value === 'string' && /([a-z][a-z0-9+.-]*:\/\/|^www\.|hooks\.slack\.com)/i.test(value);
}

/** The name a target's secret would have by convention: `deployments` → `DEPLOYMENTS_WEBHOOK`. */
export function secretNameFor(targetId: string): string {
  return `${targetId.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}_WEBHOOK`;
}

const SECRET_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * What to say when the policy holds a webhook URL for a target, or the old `to:` destination: the
 * policy is committed and read by everyone with the repository, and the URL lets anyone post.
 * `secret` is the one the target already names, if any; `legacyKey` a key of the old shape without a URL.
 */
export function urlInPolicyMessage(targetId: string, options: { secret?: unknown; legacyKey?: string } = {}): string {
  const name = typeof options.secret === 'string' && SECRET_NAME.test(options.secret) ? options.secret : secretNameFor(targetId);
  const fix = `give the target \`kind: slack\` (or \`webhook\`) and \`secret: ${name}\`, then set the environment variable ${name} to the webhook URL where the CLI runs (the editor keeps it in its secret storage)`;
  return options.legacyKey
    ? `"${options.legacyKey}" is no longer read: the policy names no destination, only the secret that holds the target's webhook URL: ${fix}`
    : `a webhook URL is a secret and never goes in the policy file: ${fix}`;
}

/** Keys of the old target shape, which named the destination itself. */
export const LEGACY_NOTIFY_KEYS = ['to', 'url', 'webhook'] as const;

const NotifyTarget = z
  .strictObject({
    title: text().optional().describe('How messages and the checklist name the target, e.g. "#deployments".'),
    kind: z.enum(NOTIFY_KINDS).describe('`slack`: a Slack incoming webhook ({text, blocks}); `webhook`: a generic JSON document (version, event, repository, branch, head, level, reasons, ...).'),
    secret: z
      .string()
      .regex(SECRET_NAME, 'the name of the environment variable that holds the URL, such as "DEPLOYMENTS_WEBHOOK" (never the URL itself)')
      .describe('The name of the secret that holds the webhook URL: an environment variable for the CLI, the editor\'s secret storage in VS Code. Never the URL.'),
    on: list(z.enum(NOTIFY_EVENTS)).min(1).describe('When this target is told.'),
  })
  .superRefine((target, ctx) => {
    // A URL in the title would be published with every message and committed with the policy.
    if (looksLikeUrl(target.title)) ctx.addIssue({ code: 'custom', path: ['title'], message: 'the title is shown in every message and names the target ("#deployments"): a webhook URL is a secret and never goes in the policy file; keep it in the environment variable that `secret` names' });
  });

export const PolicySchema = z
  .strictObject({
    $schema: text().optional(),
    version: z.literal(POLICY_VERSION, { error: `version: ${POLICY_VERSION}` }),
    name: text().optional(),
    /** Who owns the process: the post-implementation review of an emergency is assigned to them (a user) and mentions them. */
    owner: z
      .string()
      .regex(/^@?[A-Za-z0-9-]+(\/[A-Za-z0-9_.-]+)?$/, 'a GitHub user or team such as "@anthony" or "@acme/platform"')
      .optional(),
    /** How a sign-off is recorded on GitHub. */
    signoff: z
      .strictObject({
        /** The commit status context: `signoff`, the one gh-signoff and `make signoff` setups already require. */
        context: text().regex(/^[A-Za-z0-9][A-Za-z0-9 ._/:-]{0,99}$/, 'a status context such as "signoff"').default('signoff'),
        /** Who may sign off (the gate checks it). Default: any person with write access to the repository. */
        signers: z
          .strictObject({
            users: list(text().regex(/^@?[A-Za-z0-9-]+$/, 'a GitHub user name such as "@octocat"')).default([]),
            teams: list(text().regex(/^@?[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, 'a GitHub team such as "@org/team"')).default([]),
          })
          .optional(),
      })
      .optional(),
    /** Start from a built-in preset and override parts of it. */
    extends: z.enum(['two-tier', 'itil']).optional(),
    /** The branch changes are compared to. Default: the remote's default branch, else main/master. */
    base: text()
      .min(1)
      .refine((b) => !/^(HEAD|@)$/.test(b.trim()), 'the branch changes merge into, such as "main", "origin/main" or "refs/heads/main" (HEAD is the change itself, not what it is measured from)')
      .refine((b) => !b.startsWith('-'), 'a branch name, which never starts with "-"')
      .optional(),
    levels: list(Level).min(1, 'at least one level'),
    checklist: z.record(Id, ChecklistItem).default({}),
    zones: z.record(Id, Zone).default({}),
    components: Components.optional(),
    migrations: Migrations.optional(),
    emergency: Emergency.optional(),
    freeze: list(Freeze).default([]),
    notify: z
      .record(Id, NotifyTarget)
      .default({})
      .describe('Who is told, and when: each target names its kind and the secret that holds its webhook URL, never the URL.'),
  })
  .superRefine((policy, ctx) => {
    const mappings: [string[], Record<string, unknown> | undefined][] = [
      [['checklist'], policy.checklist],
      [['zones'], policy.zones],
      [['notify'], policy.notify],
      [['components', 'define'], policy.components?.define],
    ];
    for (const [path, mapping] of mappings) {
      const n = mapping ? Object.keys(mapping).length : 0;
      if (n > LIMITS.listEntries) ctx.addIssue({ code: 'custom', path, message: `expected at most ${LIMITS.listEntries} entries, found ${n}` });
    }
    const levelIds = new Set<string>();
    policy.levels.forEach((level, i) => {
      if (levelIds.has(level.id)) ctx.addIssue({ code: 'custom', path: ['levels', i, 'id'], message: `level "${level.id}" is listed twice` });
      levelIds.add(level.id);
    });
    const items = new Set(Object.keys(policy.checklist));
    const levelRef = (id: string, path: (string | number)[]) => {
      if (!levelIds.has(id)) ctx.addIssue({ code: 'custom', path, message: unknownRef('level', id, levelIds) });
    };
    const itemRefs = (ids: readonly string[], path: (string | number)[]) =>
      ids.forEach((id, i) => {
        if (!items.has(id)) ctx.addIssue({ code: 'custom', path: [...path, i], message: unknownRef('checklist item', id, items, 'checklist') });
      });
    policy.levels.forEach((level, i) => itemRefs(level.checklist, ['levels', i, 'checklist']));
    for (const [id, zone] of Object.entries(policy.zones)) {
      levelRef(zone.level, ['zones', id, 'level']);
      itemRefs(zone.checklist, ['zones', id, 'checklist']);
    }
    if (policy.components) levelRef(policy.components.level, ['components', 'level']);
    if (policy.migrations) {
      levelRef(policy.migrations.level, ['migrations', 'level']);
      itemRefs(policy.migrations.checklist, ['migrations', 'checklist']);
    }
    if (policy.emergency) {
      itemRefs(policy.emergency.checklist, ['emergency', 'checklist']);
      if (policy.emergency.postReview) itemRefs(policy.emergency.postReview.checklist, ['emergency', 'postReview', 'checklist']);
    }
    const targets = new Set(Object.keys(policy.notify));
    for (const [id, item] of Object.entries(policy.checklist)) {
      if (item.kind === 'approval' && item.from && item.allOf) {
        ctx.addIssue({ code: 'custom', path: ['checklist', id, 'allOf'], message: 'give either "from" (any of them) or "allOf" (every group), not both: move the approvers of "from" into a group of "allOf"' });
      }
      if (item.kind === 'notification') {
        item.targets.forEach((t, i) => {
          if (!targets.has(t)) ctx.addIssue({ code: 'custom', path: ['checklist', id, 'targets', i], message: unknownRef('notify target', t, targets, 'notify') });
        });
      }
    }
    policy.freeze.forEach((window, i) => {
      if (Date.parse(window.until) < Date.parse(window.from)) {
        ctx.addIssue({ code: 'custom', path: ['freeze', i, 'until'], message: `"until" (${window.until}) is before "from" (${window.from})` });
      }
    });
  });

function unknownRef(what: string, id: string, known: Set<string>, section?: string): string {
  const list = [...known];
  const close = closest(id, list);
  const shown = list.length > 20 ? `${list.slice(0, 20).join(', ')}, …` : list.join(', ');
  const hint = close ? ` Did you mean "${close}"?` : list.length ? ` Known: ${shown}.` : section ? ` Define it under "${section}".` : '';
  return `unknown ${what} "${clipText(id)}".${hint}`;
}

/** What is wrong with a glob beyond its length: nothing left once normalised, or braces that expand too far. */
export function globProblem(glob: string): string | undefined {
  if (normaliseGlob(glob) === '') return `a glob that names some paths, such as "src/auth/**": ${JSON.stringify(glob)} is empty once spaces, "./" and "/" are removed`;
  const { alternatives, depth } = braceShape(glob, LIMITS.globAlternatives);
  if (depth > LIMITS.globBraceDepth) return `braces nest ${depth} deep in this glob, at most ${LIMITS.globBraceDepth} are allowed: list the globs separately`;
  if (alternatives > LIMITS.globAlternatives) return `the braces of this glob expand to more than ${LIMITS.globAlternatives} globs: list fewer alternatives, or use wildcards`;
  return undefined;
}

/** Validates a content pattern the way it will be compiled (RE2 syntax, matched in linear time). */
export function regexProblem(pattern: string): string | undefined {
  return contentPatternProblem(pattern);
}

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type PolicyLevel = Policy['levels'][number];
export type PolicyZone = Policy['zones'][string];
export type PolicyChecklistItem = Policy['checklist'][string];
export type ChecklistKind = PolicyChecklistItem['kind'];
export type PolicyFreeze = Policy['freeze'][number];
export type PolicyNotifyTarget = Policy['notify'][string];
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** The JSON Schema of the policy file, for editors. Generated, never hand-written. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { required?: string[] };
  // With `extends`, the preset supplies the levels: required only without it.
  const required = (schema.required ?? []).filter((k) => k !== 'levels');
  return {
    ...schema,
    required,
    if: { not: { required: ['extends'] } },
    then: { required: ['levels'] },
    $id: 'https://change-control.dev/schema/policy-v1.json',
    title: 'Change Control policy',
    description: 'A team\'s change-control policy: levels, zones, checklist items, emergency path and freeze windows. See the README.',
  };
}
