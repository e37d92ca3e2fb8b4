// Finds and writes the repository's policy file, for `change-control init` and the editor's
// Create Policy command alike.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { POLICY_FILES } from '../core/policy/load';
import { PRESETS, type PresetName } from '../core/policy/presets';

/** The absolute path of the first policy file that exists in the repository, if any. */
export async function findPolicyFile(root: string): Promise<string | undefined> {
  for (const candidate of POLICY_FILES) {
    const full = path.join(root, candidate);
    try {
      if ((await fs.stat(full)).isFile()) return full;
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

/** Writes a preset's commented text; `target` defaults to `.github/change-control.yml`. */
export async function writePresetPolicy(root: string, preset: PresetName, target = path.join(root, POLICY_FILES[0])): Promise<string> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, PRESETS[preset], 'utf8');
  return target;
}
