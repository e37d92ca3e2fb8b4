// Owns the evidence a checklist is evaluated against: what people attested, which commands ran
// with what result, the change record, and a declared emergency. Stored per repository and branch
// (by a door), read by every door, so the CLI and the editor see the same record.
import { z } from 'zod';

const Sha = z.string().regex(/^[0-9a-f]{40,64}$/);
const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date');

export const EvidenceSchema = z.object({
  version: z.literal(1),
  attestations: z
    .record(
      z.string(),
      z.object({
        by: z.string(),
        at: Iso,
        /** The commit the attestation was made at (null before the first commit). */
        commit: Sha.nullable(),
        /** The zones it covers: a later change in one of them makes it stale. */
        zones: z.array(z.string()),
      }),
    )
    .default({}),
  commands: z
    .record(
      z.string(),
      z.object({
        exitCode: z.number().int().nullable(),
        at: Iso,
        commit: Sha.nullable(),
        /** Whether the working tree had uncommitted changes when it ran. */
        dirty: z.boolean(),
        command: z.string(),
      }),
    )
    .default({}),
  changeRecord: z.record(z.string(), z.string()).default({}),
  notifications: z.record(z.string(), z.object({ by: z.string(), at: Iso })).default({}),
  emergency: z
    .object({
      declaredAt: Iso,
      by: z.string(),
      reason: z.string(),
    })
    .optional(),
});

export type Evidence = z.output<typeof EvidenceSchema>;

export function emptyEvidence(): Evidence {
  return { version: 1, attestations: {}, commands: {}, changeRecord: {}, notifications: {} };
}

/** What GitHub says about the pull request, when a door is connected to it (sign-off issue). */
export interface ReviewEvidence {
  approvals: { user: string; teams: string[]; commit: string }[];
  reviewers: string[];
  unresolvedThreads: number;
  signedOff: boolean;
}
