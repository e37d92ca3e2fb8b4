// Owns the content rule: a content-gated zone fires on a changed line (added, else removed) that
// one of its patterns matches; the reason points at that line.
import type { Reason } from '../assessment';
import type { ChangedLine } from '../change/changedLines';
import type { CompiledPolicy } from './compiledPolicy';
import { makeReason } from './reason';
import type { FileZones } from './zoneRule';

export interface ContentHit {
  path: string;
  zone: string;
}

export function applyContentRule(
  compiled: CompiledPolicy,
  candidates: readonly FileZones[],
  lines: ReadonlyMap<string, readonly ChangedLine[]>,
): { hits: ContentHit[]; reasons: Reason[] } {
  const hits: ContentHit[] = [];
  const reasons: Reason[] = [];
  for (const { file, contentCandidates } of candidates) {
    const changed = lines.get(file.path) ?? (file.oldPath ? lines.get(file.oldPath) : undefined);
    if (!changed) continue;
    for (const id of contentCandidates) {
      const zone = compiled.zones.get(id)!;
      const matches = (l: { text: string }) => zone.content.some((re) => re.test(l.text));
      // An added line is the clearer evidence; a removed one (a deleted check) still counts.
      const hit = changed.find((l) => l.side === 'added' && matches(l)) ?? changed.find(matches);
      if (!hit) continue;
      hits.push({ path: file.path, zone: id });
      const pattern = zone.content.find((re) => re.test(hit.text))!;
      const matched = pattern.match(hit.text) ?? '';
      reasons.push(
        makeReason(compiled, {
          rule: 'content',
          id,
          level: zone.level,
          label: `${zone.title} (matches \`${clip(matched)}\`)`,
          path: file.path,
          line: hit.line,
          message: (levelTitle) =>
            `${file.path}:${hit.line} ${hit.side === 'added' ? 'adds' : 'removes'} \`${clip(matched)}\` — ${zone.title} (zone ${id}): ${levelTitle}.`,
        }),
      );
    }
  }
  return { hits, reasons };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
