// The evidence record's schema (zod): validates a stored record when it is read and before it is
// written. Apart from evidence.ts so that a run with no stored record never loads zod.
import { z } from 'zod';

const Sha = z.string().regex(/^[0-9a-f]{40,64}$/);
const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date');

export const Attestation = z.looseObject({
  by: z.string(),
  at: Iso,
  /** The commit the attestation was made at (null before the first commit). */
  commit: Sha.nullable(),
  /** The zones it covers: a later change in one of them makes it stale. */
  zones: z.array(z.string()),
});

export const CommandRun = z.looseObject({
  exitCode: z.number().int().nullable(),
  at: Iso,
  commit: Sha.nullable(),
  /** Whether the working tree had uncommitted changes when it ran. */
  dirty: z.boolean(),
  command: z.string(),
  /** How long it ran (ms); absent in records of older builds. */
  durationMs: z.number().nonnegative().optional(),
});

export const Emergency = z.looseObject({
  declaredAt: Iso,
  by: z.string(),
  reason: z.string(),
});

/** A notification Change Control delivered itself, as a notification item's record lists it. */
const Delivered = z.looseObject({ target: z.string(), event: z.string(), at: Iso });

export const Notification = z.looseObject({
  by: z.string(),
  at: Iso,
  /** Set when Change Control delivered to every target of the item; absent when a person confirmed it. */
  delivered: z.array(Delivered).optional(),
});

/** The last delivery of one event to one notify target. */
export const Delivery = z.looseObject({
  at: Iso,
  /** Who ran what delivered it. */
  by: z.string(),
  commit: Sha.nullable(),
});

/** The sign-off recorded on GitHub for one commit, kept so every door shows "Signed off" (or outdated). */
export const Signoff = z.looseObject({
  /** The GitHub login of the signer (never git's user.name). */
  by: z.string(),
  at: Iso,
  commit: Sha,
  level: z.string(),
  levelTitle: z.string(),
  emergency: z.boolean(),
  /** The short digest of the change record, as the status description carries it. */
  digest: z.string(),
  /** `owner/name` on GitHub. */
  repository: z.string(),
  pullRequest: z.number().int().nullable(),
  /** The change-record comment (or the commit, with no pull request). */
  url: z.string().nullable(),
  context: z.string(),
  /** The emergency's post-implementation review issue. */
  followUp: z.string().optional(),
});

export const EvidenceSchema = z.looseObject({
  /** The format's version; a newer build's record keeps its number and its fields. */
  version: z.number().int().min(1),
  attestations: z.record(z.string(), Attestation).default({}),
  commands: z.record(z.string(), CommandRun).default({}),
  changeRecord: z.record(z.string(), z.string()).default({}),
  notifications: z.record(z.string(), Notification).default({}),
  /** What Change Control delivered for this change: by notify target, the last delivery of each event. */
  deliveries: z.record(z.string(), z.record(z.string(), Delivery)).optional(),
  emergency: Emergency.optional(),
  signoff: Signoff.optional(),
});

