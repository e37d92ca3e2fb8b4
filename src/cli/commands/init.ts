// `change-control init`: writes a built-in preset, commented, as the repository's policy file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../../core/errors';
import { DEFAULT_PRESET, loadPreset, POLICY_FILES } from '../../core/policy/load';
import { isPresetName, PRESET_NAMES, type PresetName } from '../../core/policy/presets';
import { findPolicyFile, writePresetPolicy } from '../../node/policyFile';
import { DIR_OPTION, parse } from '../args';
import { commandHelp, type CliCommand } from '../command';
import { openRepository } from '../inputs';

export const init: CliCommand = {
  name: 'init',
  summary: 'Write a commented policy file to .github/change-control.yml',
  synopsis: [`init [--preset ${PRESET_NAMES.join('|')}] [--policy FILE] [--force] [-C DIR]`],
  options: `  --preset NAME       Start from this preset (default: ${DEFAULT_PRESET})
  --policy FILE       Where to write (default: .github/change-control.yml)
  --force             Overwrite an existing policy file
  -C DIR              Run as if started in DIR
`,
  exitCodes: '0 written; 2 usage or git error, or the policy file already exists.',
  run: async (args, io) => {
    const { values } = parse(args, {
      preset: { type: 'string', default: DEFAULT_PRESET },
      policy: { type: 'string' },
      force: { type: 'boolean', default: false },
      ...DIR_OPTION,
    });
    if (values.help) {
      io.stdout(commandHelp(init));
      return 0;
    }
    const preset = values.preset as string;
    if (!isPresetName(preset)) loadPreset(preset); // throws the did-you-mean error
    const { cwd, repo } = await openRepository(io, values.C);
    const target = values.policy ? path.resolve(cwd, values.policy as string) : path.join(repo.root, POLICY_FILES[0]);
    if (!values.force) {
      const existing = values.policy ? ((await exists(target)) ? target : undefined) : await findPolicyFile(repo.root);
      if (existing) throw new ChangeControlError('USAGE', `${path.relative(cwd, existing) || existing} already exists: edit it, or pass --force to replace it.`);
    }
    await writePresetPolicy(repo.root, preset as PresetName, target);
    io.stdout(`Wrote ${path.relative(cwd, target) || target} (preset ${preset}). Edit it, then run \`change-control check\`.\n`);
    return 0;
  },
};

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
