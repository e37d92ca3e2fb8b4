// `change-control record`: shows the change record this change's checklist asks for, and sets its
// fields — from an argument, a file, or stdin (multi-line plans) — through the engine's
// setChangeRecordField and the same store the editor writes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Assessment } from '../../core/assessment';
import { setChangeRecordField } from '../../core/checklist/evidenceEdits';
import { ChangeControlError } from '../../core/errors';
import { PRESET_NAMES } from '../../core/policy/presets';
import { updateEvidence } from '../../node/evidenceStore';
import { parse, POLICY_OPTIONS, subcommand, usageError } from '../args';
import { commandHelp, POLICY_OPTION_LINES, type CliCommand } from '../command';
import { assessInputs, gatherInputs } from '../inputs';
import type { CliIo } from '../io';

export const record: CliCommand = {
  name: 'record',
  summary: 'Show the change record, or set one of its fields',
  synopsis: ['record [show] [--base REF] [--policy FILE] [--preset NAME] [-C DIR]', 'record set FIELD [VALUE | - | --file PATH] [options]'],
  options: `  show                Print the record's fields and their values (the default)
  set FIELD VALUE     Set FIELD to VALUE; an empty VALUE ("") clears it
  set FIELD --file PATH
                      Set FIELD to the text of PATH
  set FIELD [-]       Set FIELD to the text on stdin (when stdin is not a terminal)
${POLICY_OPTION_LINES(PRESET_NAMES)}`,
  exitCodes: '0 shown or recorded; 2 usage, git or policy error, or a field this checklist does not ask for.',
  run: async (args, io) => {
    const { values, positionals } = parse(args, { ...POLICY_OPTIONS, file: { type: 'string' } }, { positionals: true });
    if (values.help) {
      io.stdout(commandHelp(record));
      return 0;
    }
    const [given, ...rest] = positionals;
    const sub = subcommand('record', given, ['show', 'set'], 'show');
    if (sub === 'show') {
      if (rest.length || values.file !== undefined) throw usageError('record', 'record show takes no arguments.');
      const inputs = await gatherInputs(io, values);
      io.stdout(renderRecord(await assessInputs(inputs)));
      return 0;
    }
    const [field, value, ...extra] = rest;
    if (field === undefined) throw usageError('record', 'record set: name the field to set.');
    if (extra.length) throw usageError('record', `record set: one value at a time (quote a value with spaces: "${[value, ...extra].join(' ')}").`);
    if (value !== undefined && value !== '-' && values.file !== undefined) throw usageError('record', 'record set: give a VALUE or --file PATH, not both.');
    const inputs = await gatherInputs(io, values);
    const assessment = await assessInputs(inputs);
    const text = await fieldText(io, inputs.cwd, value, values.file as string | undefined);
    const after = await updateEvidence(inputs.repo, (e) => setChangeRecordField(e, assessment, field, text));
    const title = assessment.changeRecord.find((f) => f.id === field)?.title ?? field;
    const stored = Object.hasOwn(after.changeRecord, field) ? after.changeRecord[field] : '';
    const lines = stored ? stored.split('\n').length : 0;
    io.stdout(lines ? `Set "${title}" (${field}) in the change record${lines > 1 ? ` (${lines} lines)` : ''}.\n` : `Cleared "${title}" (${field}) in the change record.\n`);
    return 0;
  },
};

async function fieldText(io: CliIo, cwd: string, value: string | undefined, file: string | undefined): Promise<string> {
  if (file !== undefined) {
    try {
      return await fs.readFile(path.resolve(cwd, file), 'utf8');
    } catch (err) {
      throw new ChangeControlError('IO', `--file ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
    }
  }
  if (value !== undefined && value !== '-') return value;
  if (!io.stdin || io.stdin.isTTY) {
    throw usageError('record', 'record set: give the value as an argument, with --file PATH, or on stdin (`record set FIELD - < plan.md`).');
  }
  return io.stdin.read();
}

function renderRecord(a: Assessment): string {
  const branch = a.repository.branch ?? 'this detached HEAD';
  if (a.changeRecord.length === 0) return `The ${a.level.title} checklist asks for no change record (${branch}).\n`;
  const filled = a.changeRecord.filter((f) => f.value).length;
  const out = [`Change record for ${branch} (${a.level.title}${a.emergency ? ', emergency path' : ''}): ${filled} of ${a.changeRecord.length} fields filled in.`];
  for (const f of a.changeRecord) {
    out.push('', `${f.title} (${f.id}):`);
    out.push(...(f.value ? f.value.split('\n').map((l) => `  ${l}`) : ['  (missing)']));
  }
  return `${out.join('\n')}\n`;
}
