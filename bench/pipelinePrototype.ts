// The git side of an assessment as the suggested engine changes would run it, measured by the
// benchmark next to the engine's assess() (evidence for the report; not used by the engine):
//   round 1  repository state, refs and `ls-files --others` all at once (the untracked listing
//            needs no base, so it starts at time zero instead of after two rounds);
//   round 2  merge-base;
//   round 3  the floor's diff with `--raw` (same walk as --name-status, plus blob ids);
//   then     zones by the segment-trie index, and the content pass through one
//            `git cat-file --batch` plus an in-process line diff (no pathspec-limited -U0 diff).
import type { ChangedLine } from '../src/core/change/changedLines';
import type { Git, WorkTree } from '../src/core/ports';
import type { CompiledPolicy } from '../src/core/rules/compiledPolicy';
import { changedLinesFromRaw, parseRaw, rawDiffArgs, type RawEntry } from './contentPassPrototype';
import type { SegmentTrieGlobIndex } from './globIndexPrototype';

export interface PipelineResult {
  files: number;
  contentCandidates: number;
  contentHits: number;
}

export async function prototypePipeline(git: Git, workTree: WorkTree, compiled: CompiledPolicy, index: SegmentTrieGlobIndex<string>, baseRef: string): Promise<PipelineResult> {
  const untrackedP = git.run(['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':(top)']);
  const [, , head] = await Promise.all([
    git.run(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--is-shallow-repository']),
    git.run(['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1] }),
    git.run(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { okExitCodes: [1, 128] }),
    git.run(['for-each-ref', '--format=%(refname)%00%(symref)', 'refs/remotes/', 'refs/heads/']),
  ]);
  const headSha = head.stdout.toString('utf8').trim();
  const baseSha = (await git.run(['merge-base', headSha, '--end-of-options', baseRef])).stdout.toString('utf8').trim();
  const raw = parseRaw((await git.run(rawDiffArgs(baseSha, null))).stdout);
  const untracked = (await untrackedP).stdout.toString('utf8').split('\0').filter(Boolean);

  const contentZonesOf = (path: string, oldPath?: string): string[] => {
    const ids = index.match(path);
    if (oldPath) for (const z of index.match(oldPath)) if (!ids.includes(z)) ids.push(z);
    return ids.filter((id) => {
      const zone = compiled.zones.get(id)!;
      return zone.content.length > 0 && !(zone.exclude && zone.exclude(path));
    });
  };
  const tracked: { entry: RawEntry; zones: string[] }[] = [];
  for (const e of raw) {
    const zones = contentZonesOf(e.path, e.oldPath);
    if (zones.length) tracked.push({ entry: e, zones });
  }
  const fresh: { path: string; zones: string[] }[] = [];
  for (const p of untracked) {
    const zones = contentZonesOf(p);
    if (zones.length) fresh.push({ path: p, zones });
  }
  const lines = await changedLinesFromRaw(git, workTree, null, tracked.map((t) => t.entry));
  await Promise.all(
    fresh.map(async (f) => {
      const bytes = await workTree.readFile(f.path);
      if (!bytes || bytes.subarray(0, 8000).includes(0)) return;
      const text = bytes.toString('utf8').split(/\r?\n/);
      if (text[text.length - 1] === '') text.pop();
      lines.set(f.path, text.map((t, i): ChangedLine => ({ line: i + 1, text: t, side: 'added' })));
    }),
  );
  let hits = 0;
  for (const { path, zones } of [...tracked.map((t) => ({ path: t.entry.path, zones: t.zones })), ...fresh]) {
    const changed = lines.get(path);
    if (!changed) continue;
    for (const id of zones) if (changed.some((l) => compiled.zones.get(id)!.content.some((re) => re.test(l.text)))) hits++;
  }
  return { files: raw.length + untracked.length, contentCandidates: tracked.length + fresh.length, contentHits: hits };
}
