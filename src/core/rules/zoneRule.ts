// Owns the zone rule by path: each changed file's zones (a rename counts both names), the reasons
// they raise, and which content-gated zones must look at the file's changed lines to decide.
import type { Reason } from '../assessment';
import type { ChangedFile } from '../change/change';
import { zonesOfPath, type CompiledPolicy } from './compiledPolicy';
import { makeReason } from './reason';

export interface FileZones {
  file: ChangedFile;
  /** Zones the file is in by its path alone. */
  zones: string[];
  /** Content-gated zones whose paths match: they fire only on a matching changed line. */
  contentCandidates: string[];
}

export function applyZoneRule(compiled: CompiledPolicy, files: readonly ChangedFile[]): { byFile: FileZones[]; reasons: Reason[] } {
  const byFile: FileZones[] = [];
  const reasons: Reason[] = [];
  for (const file of files) {
    const pathZones = zonesOfPath(compiled, file.path);
    if (file.oldPath) for (const z of zonesOfPath(compiled, file.oldPath)) if (!pathZones.includes(z)) pathZones.push(z);
    const zones: string[] = [];
    const contentCandidates: string[] = [];
    for (const id of pathZones) (compiled.zones.get(id)!.content.length > 0 ? contentCandidates : zones).push(id);
    byFile.push({ file, zones, contentCandidates });
    for (const id of zones) {
      const zone = compiled.zones.get(id)!;
      reasons.push(
        makeReason(compiled, {
          rule: 'zone',
          id,
          level: zone.level,
          label: zone.title,
          path: file.path,
          line: null,
          // The title stands on its own ("The change-control policy itself"), never inside a phrase.
          message: (levelTitle) => `${file.path} — ${zone.title} (zone ${id}): ${levelTitle}.`,
        }),
      );
    }
  }
  return { byFile, reasons };
}
