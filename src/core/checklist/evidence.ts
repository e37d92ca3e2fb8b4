// Owns the evidence a checklist is evaluated against: what people attested, which commands ran
// with what result, the change record, and a declared emergency. Stored per repository and branch
// (by a door), read by every door, so the CLI and the editor see the same record.
//
// The format is versioned, and every object in it keeps the keys this build does not know: a
// record written by a newer build (a sign-off, a follow-up issue) survives a write by an older one.
import type { z } from 'zod';
import type { Attestation, CommandRun, Delivery, Emergency, EvidenceSchema, Notification, Signoff } from './evidenceSchema';

/** The evidence format this build writes. */
export const EVIDENCE_VERSION = 1;

export type Evidence = z.output<typeof EvidenceSchema>;
export type AttestationRecord = z.output<typeof Attestation>;
export type CommandRunRecord = z.output<typeof CommandRun>;
export type EmergencyRecord = z.output<typeof Emergency>;
export type SignoffRecord = z.output<typeof Signoff>;
export type NotificationRecord = z.output<typeof Notification>;
export type DeliveryRecord = z.output<typeof Delivery>;

export function emptyEvidence(): Evidence {
  return { version: EVIDENCE_VERSION, attestations: {}, commands: {}, changeRecord: {}, notifications: {} };
}
