// The engine as the extension loads it: a second bundle (dist/engine.js) required on the first
// assessment, so activation does not pay for zod, yaml and the rules. Only re-exports: the
// extension never implements a rule itself.
export { assessChange } from '../core/assess';
export { readChange, inspectRepository } from '../core/change/change';
export { SavesAheadOfGit } from '../core/change/afterSave';
export { PersistentObjects } from '../node/catFileBatch';
export { MigrationProcess } from '../node/migrationProcess';
export { compilePolicy } from '../core/rules/compiledPolicy';
export { loadedMigrationFrameworks } from '../core/migrations/analyse';
export { migrationFrameworksIn } from '../core/migrations/detect';
export { loadPolicy, parsePolicyText, readPolicyFile, POLICY_FILES } from '../core/policy/load';
export { PRESETS, PRESET_NAMES, PRESET_DESCRIPTIONS } from '../core/policy/presets';
export { findPolicyFile, writePresetPolicy } from '../node/policyFile';
export { isChangeControlError } from '../core/errors';
export { toMarkdown } from '../core/report/markdownReport';
export { headline } from '../core/report/summary';
export { createGit } from '../node/git';
export { fsWorkTree } from '../node/workTree';
export { readEvidence, updateEvidence, evidencePath } from '../node/evidenceStore';
export { attest, withdraw, recordRun, setChangeRecordField, declareEmergency, withdrawEmergency, validateEmergencyReason, recordDeliveries } from '../core/checklist/evidenceEdits';
export { commandToRun, runCommandItem, openCommandItems } from '../core/checklist/commandRun';
export { createRunner } from '../node/runner';
export { gitIdentity } from '../node/identity';
export { emptyEvidence } from '../core/checklist/evidence';
export { signOff, signOffStack } from '../node/signoff/signOff';
export { notifyTargets } from '../node/notifyTargets';
export { eventFromAssessment, describeTarget } from '../core/notify/message';
export { connectGitHub } from '../node/github/connect';
export { writeAuditReport } from '../node/audit/report';
export { githubRepository, defaultBranch } from '../core/signoff/gather';
export { parsePeriodDate, PERIOD_EXAMPLE } from '../core/audit/period';

declare const CHANGE_CONTROL_VERSION: string | undefined;
/** The build's version, recorded in change records. */
export const VERSION = typeof CHANGE_CONTROL_VERSION === 'string' ? CHANGE_CONTROL_VERSION : '0.0.0-dev';
