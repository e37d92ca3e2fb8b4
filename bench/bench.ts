// The engine benchmark (`npm run bench`). The engine runs on every save in the editor, so git must
// be its only real cost. This measures the engine as it is, on a synthetic repository (100,000
// files, 1,000 changed, 500 zone globs with content patterns) and on any real checkout
// (`--repo <path>`):
//   T    the whole in-process assessment, assess();
//   F    the floor: the two listing commands the engine itself runs (the `--raw` diff against the
//        base and the untracked listing), with the engine's exact arguments, run concurrently as
//        the engine runs them (sequential shown too); a traced assessment checks they are in sync;
//   T/F (median- and min-based) and the CPU-time ratio, where the time beyond F goes, the content
//   pass, the path-matching cost per path with GlobIndex, policy parse/compile, peak RSS of a fresh
//   process, and the migration analysers (in a fresh process, parser load reported apart).
// Contrast rows are labelled as baselines: naive per-glob picomatch.isMatch, precompiled globs
// tested linearly, and the pathspec-limited `git diff -U0` the content pass used to run.
// Timing is never pass/fail: targets are printed with whether each is met, and the exit code is 0
// unless the benchmark itself crashes. Results go to bench/results.json and, as a markdown table
// to paste, to bench/README-table.md (`--markdown` also prints it; `--from <results.json>` only
// renders an earlier run).
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { assess } from '../src/core/assess';
import type { Assessment } from '../src/core/assessment';
import { readChange, type ChangedFile } from '../src/core/change/change';
import { readChangedLines } from '../src/core/change/changedLines';
import { loadPolicy, parsePolicyText, type LoadedPolicy } from '../src/core/policy/load';
import type { Git } from '../src/core/ports';
import { compilePolicy, zonesOfPath, type CompiledPolicy } from '../src/core/rules/compiledPolicy';
import { createGit } from '../src/node/git';
import { baselineWasmOnly } from '../src/node/wasmTiering';
import { MigrationProcess } from '../src/node/migrationProcess';
import { fsWorkTree } from '../src/node/workTree';
import { benchMigrations, type MigrationBenchResult } from './migrationBench';
import { benchProcesses, type ProcessBenchResult } from './processBench';
import { DEFAULT_SYNTHETIC, ensureSyntheticRepo, SYNTHETIC_VERSION } from './synthetic';

/** The small repository: where the fixed costs of a process (Node's start, code load, spawns) show. */
const SMALL_SYNTHETIC = { files: 3_000, changed: 40, globs: 40 };

// ---------------------------------------------------------------------------------------------
// Arguments

interface Args {
  repos: string[];
  synthetic: boolean;
  runs: number;
  warmup: number;
  files: number;
  changed: number;
  globs: number;
  rebuild: boolean;
  out: string;
  markdown: boolean;
  from: string | null;
  probe: string | null;
  migrationProbe: boolean;
  /** The probe runs as the CLI does: WebAssembly on the baseline compiler only (node/wasmTiering.ts). */
  baselineWasm: boolean;
  throughChild: boolean;
  /** Also a small synthetic repository (3,000 files, 40 changed), where fixed costs show. */
  small: boolean;
  /** Alternating rounds of the whole-process comparison (0: skip it). */
  processRounds: number;
  /** The CLI the whole-process comparison runs (default: dist/cli.js beside this script), e.g. another build's. */
  cli: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    repos: [],
    synthetic: false,
    runs: 9,
    warmup: 2,
    files: DEFAULT_SYNTHETIC.files,
    changed: DEFAULT_SYNTHETIC.changed,
    globs: DEFAULT_SYNTHETIC.globs,
    rebuild: false,
    out: path.resolve(__dirname, '..', 'bench', 'results.json'),
    markdown: false,
    from: null,
    probe: null,
    migrationProbe: false,
    baselineWasm: false,
    throughChild: false,
    small: true,
    processRounds: 9,
    cli: path.join(__dirname, 'cli.js'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--repo') args.repos.push(path.resolve(value()));
    else if (a === '--synthetic') args.synthetic = true;
    else if (a === '--runs') args.runs = Math.max(3, Number(value()));
    else if (a === '--warmup') args.warmup = Math.max(0, Number(value()));
    else if (a === '--files') args.files = Number(value());
    else if (a === '--changed') args.changed = Number(value());
    else if (a === '--globs') args.globs = Number(value());
    else if (a === '--rebuild') args.rebuild = true;
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--markdown') args.markdown = true;
    else if (a === '--from') args.from = path.resolve(value());
    else if (a === '--rss-probe') args.probe = path.resolve(value());
    else if (a === '--migration-probe') args.migrationProbe = true;
    else if (a === '--baseline-wasm') args.baselineWasm = true;
    else if (a === '--through-child') args.throughChild = true;
    else if (a === '--no-small') args.small = false;
    else if (a === '--process-rounds') args.processRounds = Math.max(0, Number(value()));
    else if (a === '--cli') args.cli = path.resolve(value());
    else if (a === '--help' || a === '-h') {
      console.log(
        'Usage: npm run bench -- [--repo <checkout>]... [--synthetic] [--runs N] [--warmup N]\n' +
          '                          [--files N] [--changed N] [--globs N] [--rebuild] [--out results.json] [--markdown]\n' +
          '                          [--no-small] [--process-rounds N] [--cli <another build>/dist/cli.js]\n' +
          '       npm run bench -- --from <results.json>   (print the markdown table of an earlier run)\n' +
          'Without --repo: the synthetic repository. With --repo: that checkout (add --synthetic for both).\n' +
          'Every run writes results.json and README-table.md (next to it); --markdown also prints the table.',
      );
      process.exit(0);
    } else throw new Error(`Unknown argument ${a} (see --help)`);
  }
  if (args.repos.length === 0) args.synthetic = true;
  return args;
}

// ---------------------------------------------------------------------------------------------
// Statistics

interface Stats {
  median: number;
  min: number;
  p90: number;
  n: number;
}

function stats(samples: number[]): Stats {
  if (samples.length === 0) return { median: NaN, min: NaN, p90: NaN, n: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], p90: at(0.9), n: s.length };
}

const now = () => performance.now();

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = now();
  const r = await fn();
  return [now() - t, r];
}

// ---------------------------------------------------------------------------------------------
// Git tracing: which commands an assessment runs, when, and for how long

interface TraceEntry {
  command: string;
  startMs: number;
  endMs: number;
  pathspecs: number;
}

function tracingGit(inner: Git, entries: TraceEntry[], argsSeen: string[][], origin: () => number): Git {
  return {
    async run(args, options) {
      const start = now() - origin();
      argsSeen.push([...args]);
      try {
        return await inner.run(args, options);
      } finally {
        const dash = args.indexOf('--');
        entries.push({
          command: describeCommand(args),
          startMs: start,
          endMs: now() - origin(),
          pathspecs: dash >= 0 ? args.length - dash - 1 : 0,
        });
      }
    },
  };
}

function describeCommand(args: readonly string[]): string {
  const dash = args.indexOf('--');
  const head = (dash >= 0 ? args.slice(0, dash) : args).map((a) => (/^[0-9a-f]{40}$/.test(a) ? '<sha>' : a));
  const text = `git ${head.join(' ')}`;
  const spec = dash >= 0 ? args.slice(dash + 1) : [];
  const tail = dash >= 0 ? (spec.length === 1 && spec[0] === ':(top)' ? ' -- :(top)' : spec.length > 0 ? ` -- <${spec.length} paths>` : ' --') : '';
  return (text.length > 78 ? `${text.slice(0, 75)}...` : text) + tail;
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface CheckoutResult {
  name: string;
  root: string;
  policySource: string;
  policyGlobs: number;
  zones: number;
  contentZones: number;
  trackedFiles: number;
  change: { base: string; baseSha: string; files: number; expected: number | null; level: string; reasons: number; contentReasons: number; contentCandidates: number };
  /** The floor's commands, exactly as given to git (base sha shown as <sha>). */
  floorCommands: string[];
  /** Both floor commands appear, argument for argument, among the commands of a traced assessment. */
  floorMatchesEngine: boolean;
  assessMs: Stats;
  floorConcurrentMs: Stats;
  floorSequentialMs: Stats;
  diffOnlyMs: Stats;
  lsFilesOnlyMs: Stats;
  ratioConcurrent: number;
  ratioConcurrentMin: number;
  ratioSequential: number;
  overheadMs: number;
  /** CPU time (this process plus git children) per run: robust against a busy machine, unlike wall time. */
  cpuPerRunMs: { assess: number; assessNode: number; assessGit: number; floorConcurrent: number; ratio: number };
  /** One traced assessment: where its wall time goes. */
  phases: { totalMs: number; beforeFloorMs: number; setupRounds: number; floorDiffMs: number; afterListingMs: number; contentGitMs: number };
  trace: TraceEntry[];
  contentPass: ContentPassResult | { error: string };
  matching: MatchingResult;
  policyLoad: { parseMs: Stats; compileMs: Stats };
  rss: ProbeResult | { error: string };
  synthetic?: { buildMs: number; cached: boolean; cacheDir: string; mix: unknown };
  /** The CLI as a whole process and the warm engine against git's floor (./processBench). */
  processes?: ProcessBenchResult | { error: string };
}

interface ContentPassResult {
  candidates: number;
  blobs: number;
  changedLines: number;
  /** readChangedLines as the engine runs it: one cat-file --batch, work-tree reads, in-process diff. */
  engineMs: Stats;
  /** Baseline: the pathspec-limited `git diff -U0 <base> -- :(top,literal)<path>...` the engine used to run (git time only). */
  baselineU0Ms: Stats | null;
  baselinePathspecs: number;
}

interface MatchingResult {
  paths: number;
  globs: number;
  expandedGlobs: number;
  pathsInAZone: number;
  globIndexNsPerPath: Stats;
  zonesOfPathNsPerPath: Stats;
  naiveIsMatchNsPerPath: number;
  naiveSample: number;
  precompiledLinearNsPerPath: number;
  linearSample: number;
  mismatches: number;
}

/** The engine's listing commands (src/core/change/change.ts: changedFiles and listUntracked). */
function floorCommands(baseSha: string): { diff: string[]; untracked: string[] } {
  return {
    diff: ['diff', '--raw', '--no-abbrev', '-z', '-M', '--no-ext-diff', '--ignore-submodules=none', baseSha, '--', ':(top)'],
    untracked: ['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':(top)'],
  };
}

/** CPU milliseconds used so far by this process and by its waited-for children (git). Linux only for children. */
function cpuMs(): { self: number; children: number } {
  const self = process.cpuUsage();
  let children = 0;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of /proc/<pid>/stat (cutime, cstime), in clock ticks (100 per second).
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    children = NaN;
  }
  return { self: (self.user + self.system) / 1000, children };
}

const sameArgs = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function measureCheckout(
  name: string,
  root: string,
  loaded: LoadedPolicy,
  paths: string[],
  policyText: string | null,
  args: Args,
  expected: number | null,
  log: (s: string) => void,
): Promise<CheckoutResult> {
  const git = createGit(root);
  const workTree = fsWorkTree(root);
  const compiled = compilePolicy(loaded.policy);
  const run = () => assess({ git, workTree, policy: loaded });

  log(`  ${name}: first assessment…`);
  const first: Assessment = await run();
  const baseSha = first.base.sha;
  const floor = floorCommands(baseSha);
  const floorConcurrent = async () => {
    await Promise.all([git.run(floor.diff), git.run(floor.untracked)]);
  };
  let lastDiffMs = 0;
  let lastLsMs = 0;
  const floorSequential = async () => {
    const t = now();
    await git.run(floor.diff);
    const t2 = now();
    await git.run(floor.untracked);
    lastDiffMs = t2 - t;
    lastLsMs = now() - t2;
  };

  log(`  ${name}: warm-up (${args.warmup}) and ${args.runs} interleaved runs of T and of the floor…`);
  for (let i = 0; i < args.warmup; i++) {
    await run();
    await floorConcurrent();
    await floorSequential();
  }
  const T: number[] = [];
  const Fc: number[] = [];
  const Fs: number[] = [];
  const diffOnly: number[] = [];
  const lsOnly: number[] = [];
  const cpu = { T: { self: 0, children: 0 }, Fc: { self: 0, children: 0 } };
  const withCpu = async (key: keyof typeof cpu, fn: () => Promise<unknown>) => {
    const c = cpuMs();
    const [ms] = await time(fn);
    const d = cpuMs();
    cpu[key].self += d.self - c.self;
    cpu[key].children += d.children - c.children;
    return ms;
  };
  const jobs: (() => Promise<void>)[] = [
    async () => void T.push(await withCpu('T', run)),
    async () => void Fc.push(await withCpu('Fc', floorConcurrent)),
    async () => {
      Fs.push((await time(floorSequential))[0]);
      diffOnly.push(lastDiffMs);
      lsOnly.push(lastLsMs);
    },
  ];
  for (let i = 0; i < args.runs; i++) {
    // Rotate the order so that no measurement always follows the same one (caches, CPU clocks).
    for (let j = 0; j < jobs.length; j++) await jobs[(i + j) % jobs.length]();
  }

  // One traced run: the commands of an assessment on a timeline, and the floor checked against them.
  const trace: TraceEntry[] = [];
  const argsSeen: string[][] = [];
  let origin = 0;
  const traced = tracingGit(git, trace, argsSeen, () => origin);
  origin = now();
  await assess({ git: traced, workTree, policy: loaded });
  const tracedTotal = now() - origin;
  trace.sort((a, b) => a.startMs - b.startMs);
  const floorMatchesEngine = argsSeen.some((a) => sameArgs(a, floor.diff)) && argsSeen.some((a) => sameArgs(a, floor.untracked));
  const diffEntry = trace.find((e) => e.command.startsWith('git diff --raw'));
  const floorStart = diffEntry?.startMs ?? 0;
  const before = trace.filter((e) => e.endMs <= floorStart + 0.5);
  const setupRounds = before.reduce((rounds, e, i, all) => (i === 0 || e.startMs >= all[i - 1].endMs - 0.5 ? rounds + 1 : rounds), 0);
  const listingEnd = Math.max(diffEntry?.endMs ?? 0, ...trace.filter((e) => e.command.startsWith('git ls-files --others')).map((e) => e.endMs));
  const contentGit = trace.filter((e) => e.command.startsWith('git cat-file'));

  log(`  ${name}: content pass, engine and baseline…`);
  let contentPass: ContentPassResult | { error: string };
  try {
    contentPass = await measureContentPass(git, workTree, compiled, loaded, baseSha, Math.max(3, Math.min(7, args.runs)));
  } catch (e) {
    contentPass = { error: oneLine((e as Error).message) };
  }
  log(`  ${name}: path matching and policy load…`);
  const matching = measureMatching(loaded, paths);
  const policyLoad = measurePolicyLoad(loaded, policyText);
  log(`  ${name}: peak RSS in a fresh process…`);
  const rss = await probeRss(root, Math.min(5, args.runs));
  let processes: ProcessBenchResult | { error: string } | undefined;
  if (args.processRounds > 0) {
    log(`  ${name}: the CLI as a whole process and the warm engine against git's floor…`);
    try {
      processes = await benchProcesses({ root, cli: args.cli, baseSha, loaded, rounds: args.processRounds, warmup: 1, log });
    } catch (e) {
      processes = { error: oneLine((e as Error).message) };
    }
  }

  const t = stats(T);
  const fc = stats(Fc);
  const fs_ = stats(Fs);
  const contentCandidates = first.files.filter((f) => {
    const ids = [...zonesOfPath(compiled, f.path), ...(f.oldPath ? zonesOfPath(compiled, f.oldPath) : [])];
    return ids.some((id) => compiled.zones.get(id)!.content.length > 0);
  }).length;
  const show = (a: string[]) => `git ${a.map((x) => (x === baseSha ? '<base>' : x)).join(' ')}`;
  return {
    name,
    root,
    policySource: loaded.source.kind === 'file' ? loaded.source.path : `preset:${loaded.source.name}`,
    policyGlobs: Object.values(loaded.policy.zones).reduce((s, z) => s + z.paths.length, 0),
    zones: compiled.zones.size,
    contentZones: [...compiled.zones.values()].filter((z) => z.content.length > 0).length,
    trackedFiles: paths.length,
    change: {
      base: first.base.ref,
      baseSha,
      files: first.files.length,
      expected,
      level: first.level.id,
      reasons: first.reasons.length,
      contentReasons: first.reasons.filter((x) => x.rule === 'content').length,
      contentCandidates,
    },
    floorCommands: [show(floor.diff), show(floor.untracked)],
    floorMatchesEngine,
    assessMs: t,
    floorConcurrentMs: fc,
    floorSequentialMs: fs_,
    diffOnlyMs: stats(diffOnly),
    lsFilesOnlyMs: stats(lsOnly),
    ratioConcurrent: t.median / fc.median,
    ratioConcurrentMin: t.min / fc.min,
    ratioSequential: t.median / fs_.median,
    overheadMs: t.median - fc.median,
    cpuPerRunMs: {
      assess: (cpu.T.self + cpu.T.children) / args.runs,
      assessNode: cpu.T.self / args.runs,
      assessGit: cpu.T.children / args.runs,
      floorConcurrent: (cpu.Fc.self + cpu.Fc.children) / args.runs,
      ratio: (cpu.T.self + cpu.T.children) / (cpu.Fc.self + cpu.Fc.children),
    },
    phases: {
      totalMs: tracedTotal,
      beforeFloorMs: floorStart,
      setupRounds,
      floorDiffMs: diffEntry ? diffEntry.endMs - diffEntry.startMs : 0,
      afterListingMs: tracedTotal - listingEnd,
      contentGitMs: contentGit.reduce((s, e) => s + e.endMs - e.startMs, 0),
    },
    trace,
    contentPass,
    matching,
    policyLoad,
    rss,
    processes,
  };
}

async function measureContentPass(
  git: Git,
  workTree: ReturnType<typeof fsWorkTree>,
  compiled: CompiledPolicy,
  loaded: LoadedPolicy,
  baseSha: string,
  runs: number,
): Promise<ContentPassResult> {
  const change = await readChange(git, { base: baseSha, baseBranch: loaded.policy.base });
  const inContentZone = (f: ChangedFile) => {
    const ids = [...zonesOfPath(compiled, f.path), ...(f.oldPath ? zonesOfPath(compiled, f.oldPath) : [])];
    return ids.some((id) => compiled.zones.get(id)!.content.length > 0);
  };
  const candidates = change.files.filter(inContentZone);
  const blobs = new Set<string>();
  for (const f of candidates) {
    if (!f.blobs || f.blobs.gitlink) continue;
    for (const oid of [f.blobs.oldOid, f.blobs.newOid]) if (!/^0+$/.test(oid)) blobs.add(oid);
  }

  const engine: number[] = [];
  let changedLines = 0;
  for (let i = 0; i < runs + 1; i++) {
    const [ms, lines] = await time(() => readChangedLines(git, workTree, null, candidates));
    if (i === 0) continue; // warm-up
    engine.push(ms);
    changedLines = [...lines.values()].reduce((s, l) => s + l.length, 0);
  }

  // Baseline: the content pass the engine ran before (one -U0 diff limited by a literal pathspec per
  // tracked candidate path, chunked to stay under the argument limit), git time only.
  const specs = candidates.filter((f) => f.status !== 'untracked').flatMap((f) => (f.oldPath ? [f.oldPath, f.path] : [f.path]).map((p) => `:(top,literal)${p}`));
  let baseline: Stats | null = null;
  if (specs.length > 0) {
    const chunks: string[][] = [];
    let chunk: string[] = [];
    let size = 0;
    for (const s of specs) {
      if (size + s.length > 100_000 && chunk.length) {
        chunks.push(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(s);
      size += s.length + 1;
    }
    if (chunk.length) chunks.push(chunk);
    const u0 = ['diff', '-U0', '-M', '--no-color', '--no-ext-diff', '--ignore-submodules=none', '--src-prefix=a/', '--dst-prefix=b/', baseSha, '--'];
    const samples: number[] = [];
    // It costs about one floor per run on a large repository: three runs after one warm-up are enough for a contrast row.
    for (let i = 0; i < 4; i++) {
      const [ms] = await time(() => Promise.all(chunks.map((c) => git.run([...u0, ...c]))));
      if (i > 0) samples.push(ms);
    }
    baseline = stats(samples);
  }
  return { candidates: candidates.length, blobs: blobs.size, changedLines, engineMs: stats(engine), baselineU0Ms: baseline, baselinePathspecs: specs.length };
}

function measureMatching(loaded: LoadedPolicy, paths: string[]): MatchingResult {
  const compiled = compilePolicy(loaded.policy);
  const index = compiled.zonePaths;
  const globs: { glob: string; zone: string }[] = [];
  for (const [id, z] of Object.entries(loaded.policy.zones)) for (const g of z.paths) globs.push({ glob: g, zone: id });

  // Enough passes for a stable number even on a small repository (at least ~300,000 calls).
  const passes = Math.max(3, Math.min(500, Math.ceil(300_000 / Math.max(1, paths.length))));
  // CPU time of this (single-threaded) loop, not wall time: steady even when other work competes for the CPUs.
  const cpuNs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  };
  const perPass = (fn: (p: string) => unknown, over: string[] = paths) => {
    const samples: number[] = [];
    for (let i = 0; i < Math.min(over.length, 2000); i++) fn(over[i]); // warm the JIT
    for (let r = 0; r < passes; r++) {
      const t = cpuNs();
      for (let i = 0; i < over.length; i++) fn(over[i]);
      samples.push((cpuNs() - t) / Math.max(1, over.length));
    }
    return stats(samples);
  };
  const globIndexNs = perPass((p) => index.match(p));

  // Baseline: picomatch.isMatch per glob per path, which compiles the glob on every call.
  const sample = (k: number) => {
    if (paths.length <= k) return paths;
    const out: string[] = [];
    const step = paths.length / k;
    for (let i = 0; i < k; i++) out.push(paths[Math.floor(i * step)]);
    return out;
  };
  const naiveSample = sample(100);
  const isMatch = (picomatch as unknown as { isMatch(s: string, g: string, o: picomatch.PicomatchOptions): boolean }).isMatch;
  let t0 = cpuNs();
  for (const p of naiveSample) for (const g of globs) isMatch(p, g.glob, { dot: true });
  const naiveNs = (cpuNs() - t0) / Math.max(1, naiveSample.length);

  // Baseline: every glob compiled once, but every path tested against all of them.
  const matchers = globs.map((g) => ({ zone: g.zone, test: picomatch(g.glob, { dot: true }) }));
  const linearSample = sample(5_000);
  const zonesNs = perPass((p) => zonesOfPath(compiled, p), linearSample);
  const linear = (p: string) => {
    const found = new Set<string>();
    for (const m of matchers) if (!found.has(m.zone) && m.test(p)) found.add(m.zone);
    return found;
  };
  for (const p of linearSample.slice(0, 500)) linear(p);
  t0 = cpuNs();
  for (const p of linearSample) linear(p);
  const linearNs = (cpuNs() - t0) / Math.max(1, linearSample.length);

  // Cross-check: the index must find exactly what testing every glob with picomatch finds.
  let mismatches = 0;
  for (const p of linearSample) {
    const a = new Set(index.match(p));
    const b = linear(p);
    if (a.size !== b.size || [...a].some((z) => !b.has(z))) mismatches++;
  }
  let inZone = 0;
  for (const p of paths) if (index.match(p).length) inZone++;
  return {
    paths: paths.length,
    globs: globs.length,
    expandedGlobs: index.size,
    pathsInAZone: inZone,
    globIndexNsPerPath: globIndexNs,
    zonesOfPathNsPerPath: zonesNs,
    naiveIsMatchNsPerPath: naiveNs,
    naiveSample: naiveSample.length,
    precompiledLinearNsPerPath: linearNs,
    linearSample: linearSample.length,
    mismatches,
  };
}

function measurePolicyLoad(loaded: LoadedPolicy, text: string | null): { parseMs: Stats; compileMs: Stats } {
  const parse: number[] = [];
  const compile: number[] = [];
  const fileName = loaded.source.kind === 'file' ? loaded.source.path : `preset:${loaded.source.name}`;
  for (let i = 0; i < 12; i++) {
    let t = now();
    // A fresh Policy object each time, so compilePolicy's per-policy cache is never hit.
    const fresh = text !== null ? parsePolicyText(text, fileName).policy : structuredClone(loaded.policy);
    if (text !== null) parse.push(now() - t);
    t = now();
    compilePolicy(fresh);
    compile.push(now() - t);
  }
  return { parseMs: stats(parse.slice(2)), compileMs: stats(compile.slice(2)) };
}

// ---------------------------------------------------------------------------------------------
// Fresh processes: peak RSS of assessing, and the migration analysers (whose parser load is only
// honest in a process that has not loaded them yet)

interface ProbeResult {
  maxRssMB: number;
  heapUsedMB: number;
  runs: number;
  assessMedianMs: number;
}

/**
 * A private copy of this script, with what it loads from beside itself (the migration analysers,
 * their .wasm files, the editor's parser process): a concurrent `npm run build` may replace dist/,
 * and packaging removes dist/bench.js.
 */
let probeScript: string | null = null;
function probeScriptPath(): string {
  if (probeScript === null) {
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'change-control-bench-probe-'));
      process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      const from = path.dirname(__filename);
      for (const f of fs.readdirSync(from)) if (f === 'migrationAnalysers.js' || f === 'migrationWorker.js' || f.endsWith('.wasm')) fs.copyFileSync(path.join(from, f), path.join(dir, f));
      const copy = path.join(dir, 'bench.js');
      fs.copyFileSync(__filename, copy);
      probeScript = copy;
    } catch {
      probeScript = __filename;
    }
  }
  return probeScript;
}

function runProbe<T>(probeArgs: string[]): Promise<T | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [probeScriptPath(), ...probeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8').trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(Buffer.concat(err).toString('utf8').trim() || `exit ${code}`);
        resolve(JSON.parse(text) as T);
      } catch (e) {
        resolve({ error: oneLine((e as Error).message) });
      }
    });
  });
}

const probeRss = (root: string, runs: number) => runProbe<ProbeResult>(['--rss-probe', root, '--runs', String(runs)]);

async function rssProbe(root: string, runs: number): Promise<void> {
  const workTree = fsWorkTree(root);
  const loaded = await loadPolicy({ workTree });
  const git = createGit(root);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await assess({ git, workTree, policy: loaded });
    samples.push(now() - t);
  }
  const result: ProbeResult = {
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapUsedMB: process.memoryUsage().heapUsed / (1024 * 1024),
    runs,
    assessMedianMs: stats(samples).median,
  };
  console.log(JSON.stringify(result));
}

interface MigrationResult extends MigrationBenchResult {
  maxRssMB?: number;
  /** As the editor runs them: the peak RSS of the parser process (maxRssMB is then the host side's). */
  parserProcessMaxRssMB?: number;
}

/** A process's peak resident memory, from Linux's accounting (VmHWM), in MB. */
function peakRssOf(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function migrationProbe(throughChild: boolean): Promise<void> {
  if (!throughChild) {
    const r = await benchMigrations();
    console.log(JSON.stringify({ ...r, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  // As the editor: this process (the host's side, V8's defaults) hands every file to the parser process.
  const child = new MigrationProcess();
  try {
    const r = await benchMigrations({ parser: child, load: (frameworks) => child.load(frameworks ?? []) });
    const parserProcessMaxRssMB = child.pid !== undefined ? peakRssOf(child.pid) : undefined;
    console.log(JSON.stringify({ ...r, maxRssMB: process.resourceUsage().maxRSS / 1024, parserProcessMaxRssMB }));
  } finally {
    child.close();
  }
}

async function migrationBench(asCli: boolean): Promise<MigrationResult | { unavailable: string }> {
  const r = await runProbe<MigrationResult>(['--migration-probe', ...(asCli ? ['--baseline-wasm'] : ['--through-child'])]);
  return 'error' in r ? { unavailable: `migration benchmark failed: ${r.error}` } : r;
}

// ---------------------------------------------------------------------------------------------
// Output

const TARGETS = { ratio: 1.3, matchNs: 1000, rssMB: 150, migrationFiles: 1000, migrationsMs: 1000, cliRatio: 1.35, smallOverMs: 60 };

function oneLine(message: string): string {
  const line = message.split('\n').find((l) => /error/i.test(l)) ?? message.split('\n')[0] ?? '';
  return line.trim().slice(0, 120);
}

function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
function fmtStats(s: Stats, unit = 'ms'): [string, string, string] {
  const f = unit === 'ns' ? (v: number) => v.toFixed(0) : fmtMs;
  return [`${f(s.median)} ${unit}`, `${f(s.min)} ${unit}`, `${f(s.p90)} ${unit}`];
}
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), sep, ...rows.slice(1).map((r) => (r.length === 1 ? r[0] : line(r)))].join('\n');
}

function report(r: CheckoutResult): string {
  const m = r.matching;
  const ph = r.phases;
  const rows: string[][] = [['Metric', 'median', 'min', 'p90', 'target', 'status']];
  rows.push(['T   assess(), whole in-process assessment', ...fmtStats(r.assessMs), '', '']);
  rows.push(['F   floor, concurrent (diff ‖ ls-files, as the engine runs them)', ...fmtStats(r.floorConcurrentMs), '', r.floorMatchesEngine ? 'same args as engine' : 'ARGS DIFFER from engine']);
  rows.push(['F   floor, sequential (diff + ls-files)', ...fmtStats(r.floorSequentialMs), '', '']);
  rows.push(['    git diff --raw --no-abbrev -z -M … <base> -- :(top) alone', ...fmtStats(r.diffOnlyMs), '', '']);
  rows.push(['    git ls-files --others --exclude-standard --full-name -z -- :(top) alone', ...fmtStats(r.lsFilesOnlyMs), '', '']);
  rows.push(['T/F against the concurrent floor (headline, medians)', r.ratioConcurrent.toFixed(2), '', '', `≤ ${TARGETS.ratio}`, met(r.ratioConcurrent <= TARGETS.ratio)]);
  rows.push(['T/F using min times (steadier on a busy machine)', r.ratioConcurrentMin.toFixed(2), '', '', `≤ ${TARGETS.ratio}`, met(r.ratioConcurrentMin <= TARGETS.ratio)]);
  rows.push(['T/F against the sequential floor', r.ratioSequential.toFixed(2), '', '', '', '']);
  rows.push(['T − F (concurrent): what the engine adds', `${fmtMs(r.overheadMs)} ms`, '', '', '', '']);
  rows.push([
    'CPU time per run, T / F (node + git children)',
    r.cpuPerRunMs.ratio.toFixed(2),
    '',
    '',
    '',
    `${fmtMs(r.cpuPerRunMs.assess)} / ${fmtMs(r.cpuPerRunMs.floorConcurrent)} ms (T: node ${fmtMs(r.cpuPerRunMs.assessNode)}, git ${fmtMs(r.cpuPerRunMs.assessGit)})`,
  ]);
  rows.push([`Traced run: before the floor's diff (${ph.setupRounds} serial rounds of git)`, `${fmtMs(ph.beforeFloorMs)} ms`, '', '', '', `of ${fmtMs(ph.totalMs)} ms`]);
  rows.push(['Traced run: the floor diff itself', `${fmtMs(ph.floorDiffMs)} ms`, '', '', '', '']);
  rows.push(['Traced run: after the listing (zones, content pass, checklist)', `${fmtMs(ph.afterListingMs)} ms`, '', '', '', `cat-file ${fmtMs(ph.contentGitMs)} ms`]);
  const cp = r.contentPass;
  if ('error' in cp) rows.push(['Content pass', `error: ${cp.error}`, '', '', '', '']);
  else {
    rows.push([`Content pass, engine: readChangedLines (${cp.candidates} files, ${cp.blobs} blobs)`, ...fmtStats(cp.engineMs), '', `${cp.changedLines} changed lines`]);
    if (cp.baselineU0Ms) {
      rows.push([
        `  baseline: pathspec-limited git diff -U0 (${cp.baselinePathspecs} pathspecs; git only)`,
        ...fmtStats(cp.baselineU0Ms),
        '',
        `${(cp.baselineU0Ms.median / cp.engineMs.median).toFixed(1)}× the engine`,
      ]);
    }
  }
  rows.push([`Path matching (CPU ns/path), GlobIndex.match, ${m.globs} globs`, ...fmtStats(m.globIndexNsPerPath, 'ns'), `< ${TARGETS.matchNs} ns`, met(m.globIndexNsPerPath.median < TARGETS.matchNs)]);
  rows.push([`Path matching with excludes, zonesOfPath (${m.linearSample} paths)`, ...fmtStats(m.zonesOfPathNsPerPath, 'ns'), '', '']);
  rows.push([`  baseline: picomatch.isMatch per glob (${m.naiveSample} paths)`, `${m.naiveIsMatchNsPerPath.toFixed(0)} ns`, '', '', '', `${(m.naiveIsMatchNsPerPath / m.globIndexNsPerPath.median).toFixed(0)}× GlobIndex`]);
  rows.push([`  baseline: ${m.globs} precompiled matchers, linear (${m.linearSample} paths)`, `${m.precompiledLinearNsPerPath.toFixed(0)} ns`, '', '', '', `${(m.precompiledLinearNsPerPath / m.globIndexNsPerPath.median).toFixed(0)}× GlobIndex`]);
  rows.push(['  cross-check: paths where GlobIndex ≠ every glob by picomatch', String(m.mismatches), '', '', '0', m.mismatches === 0 ? 'ok' : 'MISMATCH']);
  if (r.policyLoad.parseMs.n > 0) rows.push(['Policy parse + validate (parsePolicyText)', ...fmtStats(r.policyLoad.parseMs), '', '']);
  rows.push(['Policy compile (compilePolicy, once per policy)', ...fmtStats(r.policyLoad.compileMs), '', '']);
  if ('error' in r.rss) rows.push(['Peak RSS, fresh process assessing', `error: ${r.rss.error}`, '', '', `< ${TARGETS.rssMB} MB`, '']);
  else rows.push([`Peak RSS, fresh process: load policy + ${r.rss.runs} assessments`, `${r.rss.maxRssMB.toFixed(0)} MB`, '', '', `< ${TARGETS.rssMB} MB`, met(r.rss.maxRssMB < TARGETS.rssMB)]);

  const head = [
    `== ${r.name}: ${r.root}`,
    `   ${r.trackedFiles.toLocaleString('en-US')} tracked files; change vs ${r.change.base} (${r.change.baseSha.slice(0, 10)}): ${r.change.files} paths` +
      (r.change.expected !== null ? ` (expected ${r.change.expected})` : '') +
      `, level ${r.change.level}, ${r.change.reasons} reasons (${r.change.contentReasons} by content), ${r.change.contentCandidates} paths in content zones`,
    `   policy ${r.policySource}: ${r.zones} zones (${r.contentZones} content-gated), ${r.policyGlobs} path globs; ${m.pathsInAZone.toLocaleString('en-US')} of ${m.paths.toLocaleString('en-US')} tracked paths are in a zone`,
    `   floor: ${r.floorCommands.join('  ‖  ')}`,
    `   ${r.assessMs.n} runs each after warm-up; medians, with min and p90`,
  ];
  const timeline = [
    '   One assessment, git commands on a timeline (ms from the start of assess()):',
    ...r.trace.map((e) => `     ${fmtMs(e.startMs).padStart(7)} → ${fmtMs(e.endMs).padStart(7)}  (${fmtMs(e.endMs - e.startMs).padStart(6)})  ${e.command}`),
  ];
  return [...head, '', table(rows), '', ...timeline, ...processReport(r)].join('\n');
}

/** The whole-process comparison of one checkout, as text. */
function processReport(r: CheckoutResult): string[] {
  const p = r.processes;
  if (!p) return [];
  if ('error' in p) return ['', `   Whole processes: error: ${p.error}`];
  const row = (label: string, s: ProcessBenchResult['cli']): string[] => [label, `${fmtMs(s.wallMs)} ms`, `${fmtMs(s.minWallMs)}–${fmtMs(s.maxWallMs)}`, `${fmtMs(s.cpuMs)} ms`, '', ''];
  const x = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);
  const rows: string[][] = [['Whole processes (bash `time`), alternating', 'wall median', 'wall min–max', 'CPU', 'target', 'status']];
  rows.push(row(`CLI: ${p.commands.cli}`, p.cli));
  rows.push(row(`floor: ${p.commands.floor}`, p.floor));
  rows.push(row('warm engine: assess() with known state (an editor save; CPU mean)', p.engine));
  rows.push(row(`honest floor: ${p.commands.honestFloor}`, p.honestFloor));
  rows.push(row('node -e 0', p.nodeStartMs));
  const small = r.name === 'small';
  rows.push(['CLI / floor (median of per-round ratios)', x(p.ratios.cliToFloor.wall), '', x(p.ratios.cliToFloor.cpu), small ? '' : `≤ ${TARGETS.cliRatio}`, small ? '' : met(p.ratios.cliToFloor.wall <= TARGETS.cliRatio)]);
  rows.push(['warm engine / floor', x(p.ratios.engineToFloor.wall), '', x(p.ratios.engineToFloor.cpu), '', '']);
  rows.push(['CLI / honest floor', x(p.ratios.cliToHonestFloor.wall), '', x(p.ratios.cliToHonestFloor.cpu), '', '']);
  rows.push(['CLI − (floor + node -e 0), median per round', `${fmtMs(p.cliOverNodeAndFloorMs)} ms`, '', '', small ? `≤ ${TARGETS.smallOverMs} ms` : '', small ? met(p.cliOverNodeAndFloorMs <= TARGETS.smallOverMs) : '']);
  return [
    '',
    `   The CLI as a whole process and the warm engine against git's floor: ${p.rounds} rounds after ${p.warmup} warm-up; load average ${p.loadAverage.start.join(' ')} at the start, ${p.loadAverage.end.join(' ')} at the end`,
    table(rows),
  ];
}

interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  totalMemMB: number;
  platform: string;
  node: string;
  git: string;
  loadAverage: number[];
  loadAverageEnd?: number[];
}

function machineInfo(): Machine {
  let gitVersion = 'unknown';
  try {
    gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    /* reported as unknown */
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMB: Math.round(os.totalmem() / (1024 * 1024)),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    git: gitVersion,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

// ---------------------------------------------------------------------------------------------
// The markdown table (bench/README-table.md), rendered from results.json alone

interface ResultsFile {
  machine: Machine;
  checkouts: (CheckoutResult & { met: Record<string, boolean | null> })[];
  migrations: MigrationResult | { unavailable: string };
  /** The same in a process with V8's optimising WebAssembly tier on, as in the editor's host. */
  migrationsEditor?: MigrationResult | { unavailable: string };
  totalSeconds: number;
}

function markdown(json: ResultsFile): string {
  const mc = json.machine;
  const cs = json.checkouts;
  const ok = (b: boolean | null | undefined) => (b === null || b === undefined ? '' : b ? ' ✅' : ' ❌');
  const ms = (v: number) => `${fmtMs(v)} ms`;
  const rows: [string, string, (c: ResultsFile['checkouts'][number]) => string][] = [
    ['Tracked files / changed paths', '', (c) => `${c.trackedFiles.toLocaleString('en-US')} / ${c.change.files.toLocaleString('en-US')}`],
    ['Policy globs (zones, content-gated)', '', (c) => `${c.policyGlobs} (${c.zones}, ${c.contentZones})`],
    ['**T** assess(), median (min)', '', (c) => `${ms(c.assessMs.median)} (${fmtMs(c.assessMs.min)})`],
    ['**F** floor: engine\'s `diff --raw` ‖ `ls-files --others`, median (min)', '', (c) => `${ms(c.floorConcurrentMs.median)} (${fmtMs(c.floorConcurrentMs.min)})${c.floorMatchesEngine ? '' : ' ⚠ args differ from engine'}`],
    ['**T/F**, medians', `≤ ${TARGETS.ratio}`, (c) => `**${c.ratioConcurrent.toFixed(2)}**${ok(c.ratioConcurrent <= TARGETS.ratio)}`],
    ['T/F, min-based', `≤ ${TARGETS.ratio}`, (c) => `${c.ratioConcurrentMin.toFixed(2)}${ok(c.ratioConcurrentMin <= TARGETS.ratio)}`],
    ['CPU time T/F (node + git)', '', (c) => `${c.cpuPerRunMs.ratio.toFixed(2)} (${fmtMs(c.cpuPerRunMs.assess)} / ${fmtMs(c.cpuPerRunMs.floorConcurrent)} ms)`],
    ['Before the floor\'s diff (traced; serial git rounds)', '', (c) => `${ms(c.phases.beforeFloorMs)} (${c.phases.setupRounds})`],
    ['Content pass, engine (cat-file + in-process diff)', '', (c) => ('error' in c.contentPass ? 'error' : `${ms(c.contentPass.engineMs.median)} (${c.contentPass.candidates} files)`)],
    ['&nbsp;&nbsp;baseline: pathspec-limited `git diff -U0`', '', (c) => ('error' in c.contentPass || !c.contentPass.baselineU0Ms ? '–' : ms(c.contentPass.baselineU0Ms.median))],
    ['Match, GlobIndex.match (CPU ns/path)', `< ${TARGETS.matchNs} ns`, (c) => `**${c.matching.globIndexNsPerPath.median.toFixed(0)} ns**${ok(c.matching.globIndexNsPerPath.median < TARGETS.matchNs)}`],
    ['&nbsp;&nbsp;baseline: picomatch.isMatch per glob', '', (c) => `${(c.matching.naiveIsMatchNsPerPath / 1000).toFixed(0)} µs`],
    ['&nbsp;&nbsp;cross-check vs picomatch (mismatched paths)', '0', (c) => `${c.matching.mismatches}${ok(c.matching.mismatches === 0)}`],
    ['Policy parse / compile', '', (c) => `${c.policyLoad.parseMs.n ? fmtMs(c.policyLoad.parseMs.median) : '–'} / ${ms(c.policyLoad.compileMs.median)}`],
    ['Peak RSS, fresh process', `< ${TARGETS.rssMB} MB`, (c) => ('error' in c.rss ? 'error' : `${c.rss.maxRssMB.toFixed(0)} MB${ok(c.rss.maxRssMB < TARGETS.rssMB)}`)],
    ...processRows(ok, ms),
  ];
  const out: string[] = [];
  const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(' / ') : '?');
  out.push(`**Change Control engine benchmark** — ${mc.date.slice(0, 16).replace('T', ' ')} UTC`);
  out.push('');
  out.push(
    `Machine: ${mc.cpus} CPUs (${mc.cpuModel}), ${Math.round(mc.totalMemMB / 1024)} GB, node ${mc.node}, ${mc.git.replace(/^git version /, 'git ')}; ` +
      `load average at start ${load(mc.loadAverage)}${mc.loadAverageEnd ? `, at end ${load(mc.loadAverageEnd)}` : ''} (1 / 5 / 15 min)`,
  );
  out.push('');
  out.push(`| Metric | Target | ${cs.map((c) => c.name).join(' | ')} |`);
  out.push(`|---|---|${cs.map(() => '---:').join('|')}|`);
  for (const [label, target, cell] of rows) out.push(`| ${label} | ${target} | ${cs.map(cell).join(' | ')} |`);
  const mg = json.migrations;
  out.push('');
  if ('unavailable' in mg) out.push(`Migrations: ${mg.unavailable}`);
  else {
    out.push('| Migrations (fresh process, as the CLI runs them: WebAssembly on the baseline compiler) | Target | Value |');
    out.push('|---|---|---:|');
    out.push(`| Parser load (once per process, reported apart), wall (CPU) | | ${ms(mg.parserLoadMs)} (${fmtMs(mg.parserLoadCpuMs)}) |`);
    out.push(`| Analyse ${mg.filesAnalysed.toLocaleString('en-US')} files (6 frameworks), wall | < 1 s for ${TARGETS.migrationFiles.toLocaleString('en-US')} | **${ms(mg.totalMs)}**${ok(migrationsMet(mg))} |`);
    out.push(`| &nbsp;&nbsp;same, CPU time (all threads) | | ${ms(mg.totalCpuMs)} |`);
    out.push(`| Per file | | ${ms(mg.perFileMs)} |`);
    if (mg.maxRssMB !== undefined) out.push(`| Peak RSS of that process (parsers loaded) | < ${TARGETS.rssMB} MB | ${mg.maxRssMB.toFixed(0)} MB${ok(mg.maxRssMB < TARGETS.rssMB)} |`);
    const ed = json.migrationsEditor;
    if (ed && !('unavailable' in ed)) {
      out.push(`| As the editor runs them (each file sent to its parser process): parser load / analyse, wall | < 1 s | ${ms(ed.parserLoadMs)} / ${ms(ed.totalMs)}${ok(migrationsMet(ed))} |`);
      if (ed.parserProcessMaxRssMB !== undefined) out.push(`| &nbsp;&nbsp;peak RSS of the parser process | < ${TARGETS.rssMB} MB | ${ed.parserProcessMaxRssMB.toFixed(0)} MB${ok(ed.parserProcessMaxRssMB < TARGETS.rssMB)} |`);
      if (ed.maxRssMB !== undefined) out.push(`| &nbsp;&nbsp;peak RSS of the sending process (the extension host's share) | | ${ed.maxRssMB.toFixed(0)} MB |`);
    }
  }
  out.push('');
  out.push(`Timing is never pass/fail. ${json.totalSeconds.toFixed(0)} s for the whole run.`);
  return `${out.join('\n')}\n`;
}

type Cell = (c: ResultsFile['checkouts'][number]) => string;

/** The whole-process rows of the markdown table (blank for a run without them). */
function processRows(ok: (b: boolean | null | undefined) => string, ms: (v: number) => string): [string, string, Cell][] {
  const p = (f: (p: ProcessBenchResult, c: ResultsFile['checkouts'][number]) => string): Cell => (c) => (!c.processes ? '–' : 'error' in c.processes ? 'error' : f(c.processes, c));
  const wc = (s: ProcessBenchResult['cli']) => `${ms(s.wallMs)} (${fmtMs(s.cpuMs)})`;
  const x = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(2));
  return [
    ['**Whole processes**, alternating; median wall (CPU)', '', p((q) => `${q.rounds} rounds, load ${q.loadAverage.start[0].toFixed(1)}→${q.loadAverage.end[0].toFixed(1)}`)],
    ['CLI: `node dist/cli.js check --format json`', '', p((q) => wc(q.cli))],
    ['Floor: `git diff --name-status -z --no-renames <merge-base>`; `git ls-files --others --exclude-standard -z`', '', p((q) => wc(q.floor))],
    ['**CLI / floor**, median of per-round ratios, wall (CPU)', `≤ ${TARGETS.cliRatio} (large)`, p((q, c) => `**${x(q.ratios.cliToFloor.wall)}** (${x(q.ratios.cliToFloor.cpu)})${c.name === 'small' ? '' : ok(q.ratios.cliToFloor.wall <= TARGETS.cliRatio)}`)],
    ['Warm engine (an editor save: known state, compiled policy), wall (CPU mean)', '', p((q) => wc(q.engine))],
    ['Warm engine / floor, wall (CPU)', '', p((q) => `${x(q.ratios.engineToFloor.wall)} (${x(q.ratios.engineToFloor.cpu)})`)],
    ['Honest floor: `git diff -U0 --no-renames <merge-base>`; untracked listing; `node -e 0`', '', p((q) => wc(q.honestFloor))],
    ['CLI / honest floor, wall (CPU)', '', p((q) => `${x(q.ratios.cliToHonestFloor.wall)} (${x(q.ratios.cliToHonestFloor.cpu)})`)],
    ['CLI − (floor + `node -e 0`), median per round', `≤ ${TARGETS.smallOverMs} ms (small)`, p((q, c) => `${ms(q.cliOverNodeAndFloorMs)}${c.name === 'small' ? ok(q.cliOverNodeAndFloorMs <= TARGETS.smallOverMs) : ''}`)],
  ];
}

function migrationsMet(m: MigrationResult): boolean {
  // Scaled to the target's 1,000 files when a different number was analysed.
  return (m.totalMs * TARGETS.migrationFiles) / Math.max(1, m.filesAnalysed) < TARGETS.migrationsMs;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.probe) return rssProbe(args.probe, args.runs);
  if (args.migrationProbe) {
    if (args.baselineWasm) baselineWasmOnly();
    return migrationProbe(args.throughChild);
  }
  if (args.from) {
    process.stdout.write(markdown(JSON.parse(fs.readFileSync(args.from, 'utf8')) as ResultsFile));
    return;
  }

  const started = now();
  probeScriptPath(); // copy this script now, before a concurrent build can replace dist/
  const machine = machineInfo();
  const log = (s: string) => console.log(s);
  log(`Change Control engine benchmark — ${machine.date}`);
  log(`${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemMB} MB RAM, ${machine.platform}, node ${machine.node}, ${machine.git}`);
  log(`Load average at start: ${machine.loadAverage.join(' ')} (1/5/15 min) on ${machine.cpus} CPUs`);
  if (machine.loadAverage[0] > machine.cpus * 0.5) {
    log('Note: other work is competing for the CPUs, so wall times are inflated and noisy; min, and the CPU-time ratio, are the steadier numbers.');
  }
  log('');

  const results: CheckoutResult[] = [];
  const synthetics: [string, Parameters<typeof ensureSyntheticRepo>[0]][] = args.synthetic
    ? [['synthetic', { files: args.files, changed: args.changed, globs: args.globs, rebuild: args.rebuild, log }], ...(args.small ? [['small', { ...SMALL_SYNTHETIC, log }] as [string, Parameters<typeof ensureSyntheticRepo>[0]]] : [])]
    : [];
  for (const [name, options] of synthetics) {
    const repo = await ensureSyntheticRepo(options);
    const workTree = fsWorkTree(repo.root);
    const loaded = await loadPolicy({ workTree });
    const policyText = (await workTree.readFile(repo.policyPath))?.toString('utf8') ?? null;
    const r = await measureCheckout(name, repo.root, loaded, repo.paths, policyText, args, repo.expectedChanged, log);
    r.synthetic = { buildMs: repo.buildMs, cached: repo.cached, cacheDir: repo.cacheDir, mix: repo.mix };
    results.push(r);
  }
  for (const root of args.repos) {
    const workTree = fsWorkTree(root);
    const loaded = await loadPolicy({ workTree });
    const policyText = loaded.source.kind === 'file' ? ((await workTree.readFile(loaded.source.path))?.toString('utf8') ?? null) : null;
    const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, maxBuffer: 1 << 30 }).toString('utf8').split('\0').filter(Boolean);
    results.push(await measureCheckout(path.basename(root), root, loaded, listed, policyText, args, null, log));
  }
  log('  migrations (fresh process, as the CLI runs them, then as the editor does: through its parser process)…');
  const migrations = await migrationBench(true);
  const migrationsEditor = await migrationBench(false);

  log('');
  for (const r of results) {
    log(report(r));
    if (r.synthetic) {
      log(
        `   synthetic repository ${r.synthetic.cached ? 'from cache' : `built in ${(r.synthetic.buildMs / 1000).toFixed(1)} s`} (${r.synthetic.cacheDir}, ${SYNTHETIC_VERSION}); change mix: ${JSON.stringify(r.synthetic.mix)}`,
      );
    }
    log('');
  }
  if ('unavailable' in migrations) log(`Migrations: ${migrations.unavailable}`);
  else {
    log(
      table([
        ['Migrations (fresh process)', 'value', 'target', 'status'],
        ['Parser load (once per process, not in the total)', `${fmtMs(migrations.parserLoadMs)} ms`, '', `CPU ${fmtMs(migrations.parserLoadCpuMs)} ms`],
        [`Analyse ${migrations.filesAnalysed} files (wall)`, `${fmtMs(migrations.totalMs)} ms`, `< ${TARGETS.migrationsMs} ms for ${TARGETS.migrationFiles}`, met(migrationsMet(migrations))],
        [`Analyse ${migrations.filesAnalysed} files (CPU, all threads)`, `${fmtMs(migrations.totalCpuMs)} ms`, '', ''],
        ['Per file', `${fmtMs(migrations.perFileMs)} ms`, '', ''],
        ['Peak RSS of that process (parsers loaded)', migrations.maxRssMB !== undefined ? `${migrations.maxRssMB.toFixed(0)} MB` : '–', `< ${TARGETS.rssMB} MB`, migrations.maxRssMB !== undefined ? met(migrations.maxRssMB < TARGETS.rssMB) : ''],
        ...('unavailable' in migrationsEditor
          ? []
          : [
              ['As the editor runs them (its parser process): parser load', `${fmtMs(migrationsEditor.parserLoadMs)} ms`, '', ''],
              ['  analyse, wall (each file sent to that process)', `${fmtMs(migrationsEditor.totalMs)} ms`, `< ${TARGETS.migrationsMs} ms`, met(migrationsMet(migrationsEditor))],
              ['  peak RSS of the parser process', migrationsEditor.parserProcessMaxRssMB !== undefined ? `${migrationsEditor.parserProcessMaxRssMB.toFixed(0)} MB` : '–', `< ${TARGETS.rssMB} MB`, migrationsEditor.parserProcessMaxRssMB !== undefined ? met(migrationsEditor.parserProcessMaxRssMB < TARGETS.rssMB) : ''],
              ['  peak RSS of the sending process (the host\'s share)', migrationsEditor.maxRssMB !== undefined ? `${migrationsEditor.maxRssMB.toFixed(0)} MB` : '–', '', ''],
            ]),
      ]),
    );
  }
  const benchRssMB = process.resourceUsage().maxRSS / 1024;
  machine.loadAverageEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
  log(`Bench process peak RSS (repository generation, 100k-path matching and baselines included): ${benchRssMB.toFixed(0)} MB`);
  log(`Total benchmark time: ${((now() - started) / 1000).toFixed(1)} s; load average at the end ${machine.loadAverageEnd.join(' ')}`);

  const json = {
    machine,
    targets: {
      ratioConcurrentMax: TARGETS.ratio,
      matchNsPerPathMax: TARGETS.matchNs,
      rssMBMax: TARGETS.rssMB,
      migrations: { files: TARGETS.migrationFiles, totalMsMax: TARGETS.migrationsMs },
      cliToFloorMax: TARGETS.cliRatio,
      smallCliOverNodeAndFloorMsMax: TARGETS.smallOverMs,
    },
    checkouts: results.map((r) => ({
      ...r,
      met: {
        ratio: r.ratioConcurrent <= TARGETS.ratio,
        ratioMin: r.ratioConcurrentMin <= TARGETS.ratio,
        matching: r.matching.globIndexNsPerPath.median < TARGETS.matchNs,
        rss: 'error' in r.rss ? null : r.rss.maxRssMB < TARGETS.rssMB,
        floorMatchesEngine: r.floorMatchesEngine,
        cliRatio: !r.processes || 'error' in r.processes || r.name === 'small' ? null : r.processes.ratios.cliToFloor.wall <= TARGETS.cliRatio,
        smallOver: !r.processes || 'error' in r.processes || r.name !== 'small' ? null : r.processes.cliOverNodeAndFloorMs <= TARGETS.smallOverMs,
      },
    })),
    migrations: 'unavailable' in migrations ? migrations : { ...migrations, met: migrationsMet(migrations) },
    migrationsEditor,
    benchProcessMaxRssMB: benchRssMB,
    totalSeconds: (now() - started) / 1000,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, `${JSON.stringify(json, null, 2)}\n`);
  const md = markdown(json);
  const mdPath = path.join(path.dirname(args.out), 'README-table.md');
  fs.writeFileSync(mdPath, md);
  log(`Results written to ${path.relative(process.cwd(), args.out) || args.out} and ${path.relative(process.cwd(), mdPath) || mdPath}`);
  if (args.markdown) log(`\n${md}`);
}

main().catch((err: unknown) => {
  console.log(`Benchmark failed: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
