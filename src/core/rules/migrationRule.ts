// Owns the schema-migration rule: which migrations a change adds or edits, and which of their
// operations go beyond what the policy allows ("beyond adding and removing columns").
import type { Reason } from '../assessment';
import { makeReason } from './reason';
import type { Change, ChangedFile } from '../change/change';
import { isScriptFramework, looksLikeScriptMigration, migrationFrameworkFor } from '../migrations/detect';
import type { MigrationAnalysis, MigrationFramework } from '../migrations/types';
import type { Policy } from '../policy/schema';
import type { Log, MigrationParser } from '../ports';
import type { CompiledPolicy } from './compiledPolicy';

export interface MigrationRuleResult {
  analyses: MigrationAnalysis[];
  reasons: Reason[];
  /** True when any migration goes beyond the allowed operations or rewrites history. */
  beyond: boolean;
  notes: string[];
}

type MigrationPolicy = NonNullable<Policy['migrations']>;

export async function applyMigrationRule(
  change: Change,
  compiled: CompiledPolicy,
  rule: MigrationPolicy,
  readContent: (file: ChangedFile) => Promise<Buffer | undefined>,
  log: Log,
  parser?: MigrationParser,
): Promise<MigrationRuleResult> {
  const result: MigrationRuleResult = { analyses: [], reasons: [], beyond: false, notes: [] };
  const found: { file: ChangedFile; framework: MigrationFramework; bytes: Buffer | undefined }[] = [];
  for (const file of change.files) {
    const framework = migrationFrameworkFor(file.path, rule.paths) ?? (file.oldPath ? migrationFrameworkFor(file.oldPath, rule.paths) : undefined);
    if (!framework) continue;
    const bytes = file.status === 'deleted' ? undefined : await readContent(file);
    // A module in a JS/TS migrations folder that defines no `up` step is not a migration.
    if (isScriptFramework(framework) && bytes !== undefined && !looksLikeScriptMigration(bytes.toString('utf8'))) continue;
    found.push({ file, framework, bytes });
  }
  if (found.length === 0) return result;

  // The analysers and their parsers load only now, when the change holds a migration.
  const { analyseMigration, MAX_MIGRATION_BYTES } = await import('../migrations/analyse');
  const { describeOperation, operationLabel } = await import('../migrations/describe');
  // Every file is sent at once (a parser in another process answers them in turn, with no round
  // trip between), and each analysis is taken in the change's order.
  const analysed = found.map(({ file, framework, bytes }) =>
    bytes === undefined
      ? undefined
      : analyseMigration({ path: file.path, framework, content: bytes.toString('utf8') }, rule.allowed, parser).catch((err: unknown): MigrationAnalysis => {
          // The analysers promise not to throw; should one ever do, the migration counts as beyond (fail safe).
          log.error(`Migration analysis of ${file.path} failed: ${(err as Error).message}`);
          return {
            path: file.path,
            framework,
            columnsOnly: false,
            operations: [{ kind: 'other', table: null, column: null, line: 1, direction: 'forward', source: '', note: 'could not be analysed' }],
          };
        }),
  );
  for (const [i, { file, framework, bytes }] of found.entries()) {
    const existedOnBase = file.status === 'modified' || file.status === 'deleted' || file.status === 'typechange' || file.status === 'renamed';
    if (rule.historyRewrite && existedOnBase) {
      result.beyond = true;
      result.reasons.push(
        makeReason(compiled, {
          rule: 'migration-history',
          id: framework,
          level: rule.level,
          label: `${file.status === 'deleted' ? 'deletes' : 'edits'} a migration from the base branch`,
          path: file.path,
          line: null,
          message: (levelTitle) =>
            `${file.oldPath ?? file.path} already exists on the base branch: ${file.status === 'deleted' ? 'deleting' : 'editing'} a migration that may have run rewrites schema history (${levelTitle}).`,
        }),
      );
    }
    if (bytes === undefined) continue;
    if (bytes.length > MAX_MIGRATION_BYTES) {
      result.notes.push(`${file.path} is larger than ${MAX_MIGRATION_BYTES / 1024 / 1024} MB: it was not parsed and counts as beyond the allowed operations.`);
    }
    const analysis = (await analysed[i])!;
    result.analyses.push(analysis);
    if (analysis.columnsOnly) continue;
    result.beyond = true;
    for (const op of analysis.operations) {
      if (op.direction !== 'forward' || rule.allowed.includes(op.kind)) continue;
      result.reasons.push(
        makeReason(compiled, {
          rule: 'migration',
          id: framework,
          level: rule.level,
          label: operationLabel(op, rule.allowed),
          path: file.path,
          line: op.line,
          message: () => `${file.path}:${op.line} ${describeOperation(op, rule.allowed)}`,
        }),
      );
    }
  }
  return result;
}
