// What a user waits for, measured side by side in one run: the CLI as a whole process
// (`node dist/cli.js check --format json`), and the warm engine as the editor runs it on its
// second and later saves (policy loaded and compiled, repository state known, in one process),
// each against the floor any tool pays for the same answer — git's listing of the change and of
// the untracked files, run one after the other as whole processes — and against an "honest floor"
// for a tool that also reads the changed lines (`git diff -U0`, the untracked listing and
// `node -e 0`). Runs alternate, in a rotating order, round after round; each figure is the median
// over rounds, and each comparison the median of its per-round ratios, so that a machine whose
// speed drifts (a shared one) moves both sides of a ratio together.
//
// A whole process is timed by bash's `time` (real, user and system of the commands it waits
// for, in milliseconds); the warm engine by the clock and this process's CPU (git's CPU from
// /proc/self/stat, in 10 ms ticks, so it is quoted as a mean over the rounds). Timing is never
// pass/fail.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { assess } from '../src/core/assess';
import type { ChangeBase, RepositoryState } from '../src/core/change/change';
import type { LoadedPolicy } from '../src/core/policy/load';
import { createGit } from '../src/node/git';
import { fsWorkTree } from '../src/node/workTree';

export interface Sample {
  wallMs: number;
  cpuMs: number;
}

export interface Summary {
  wallMs: number;
  cpuMs: number;
  minWallMs: number;
  maxWallMs: number;
}

export interface ProcessBenchResult {
  rounds: number;
  warmup: number;
  loadAverage: { start: number[]; end: number[] };
  commands: { cli: string; floor: string; honestFloor: string };
  cli: Summary;
  floor: Summary;
  honestFloor: Summary;
  engine: Summary;
  /** Medians of the per-round ratios. */
  ratios: {
    cliToFloor: { wall: number; cpu: number };
    engineToFloor: { wall: number; cpu: number | null };
    cliToHonestFloor: { wall: number; cpu: number };
  };
  /** Median over rounds of CLI wall minus the honest floor's (which holds `node -e 0`). */
  cliOverHonestFloorMs: number;
  /** Median over rounds of CLI wall minus the floor plus `node -e 0` measured in the same round. */
  cliOverNodeAndFloorMs: number;
  nodeStartMs: Summary;
}

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const summary = (samples: readonly Sample[]): Summary => ({
  wallMs: median(samples.map((s) => s.wallMs)),
  cpuMs: median(samples.map((s) => s.cpuMs)),
  minWallMs: Math.min(...samples.map((s) => s.wallMs)),
  maxWallMs: Math.max(...samples.map((s) => s.wallMs)),
});

/** A POSIX shell word. */
const quote = (word: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

/** Runs the commands one after the other under bash's `time`, output thrown away; real, user and sys of their processes. */
function timed(commands: readonly (readonly string[])[], cwd: string): Promise<Sample> {
  const body = commands.map((c) => `${c.map(quote).join(' ')} >/dev/null 2>&1`).join('; ');
  const script = `TIMEFORMAT='%3R %3U %3S'; { time { ${body}; } ; } 2>&1`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', () => {
      const [real, user, sys] = Buffer.concat(out).toString('utf8').trim().split(/\s+/).slice(-3).map(Number);
      if ([real, user, sys].some((x) => !Number.isFinite(x))) reject(new Error(`could not time: ${script}`));
      else resolve({ wallMs: real * 1000, cpuMs: (user + sys) * 1000 });
    });
  });
}

/** CPU ms of this process, and of its reaped children (git) in 10 ms ticks; Linux only for children. */
function cpuNow(): { self: number; children: number } {
  const u = process.cpuUsage();
  let children = NaN;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    /* not Linux: children unknown */
  }
  return { self: (u.user + u.system) / 1000, children };
}

export interface ProcessBenchOptions {
  root: string;
  /** dist/cli.js. */
  cli: string;
  /** The merge-base the change is measured from. */
  baseSha: string;
  loaded: LoadedPolicy;
  rounds: number;
  warmup: number;
  log: (line: string) => void;
}

export async function benchProcesses(o: ProcessBenchOptions): Promise<ProcessBenchResult> {
  const loadStart = os.loadavg();
  const cli = [process.execPath, o.cli, 'check', '--format', 'json'];
  const diff = ['git', 'diff', '--name-status', '-z', '--no-renames', o.baseSha];
  const untracked = ['git', 'ls-files', '--others', '--exclude-standard', '-z'];
  const diffU0 = ['git', 'diff', '-U0', '--no-renames', o.baseSha];
  const node = [process.execPath, '-e', '0'];

  // The warm engine as the editor runs a save: policy loaded, compiled (cached by assess), and the
  // repository state and base known from the first assessment.
  const git = createGit(o.root);
  const workTree = fsWorkTree(o.root);
  const first = await assess({ git, workTree, policy: o.loaded });
  const known: { repository: RepositoryState; base: ChangeBase } = { repository: first.repository as RepositoryState, base: first.base };
  let engineCpuSelf = 0;
  let engineCpuChildren = 0;
  const engine = async (): Promise<Sample> => {
    const c = cpuNow();
    const t = performance.now();
    await assess({ git, workTree, policy: o.loaded, known });
    const wallMs = performance.now() - t;
    const d = cpuNow();
    engineCpuSelf += d.self - c.self;
    engineCpuChildren += d.children - c.children;
    return { wallMs, cpuMs: d.self - c.self + (d.children - c.children) };
  };

  const jobs = {
    cli: () => timed([cli], o.root),
    floor: () => timed([diff, untracked], o.root),
    honestFloor: () => timed([diffU0, untracked, node], o.root),
    engine,
    node: () => timed([node], o.root),
  };
  const names = Object.keys(jobs) as (keyof typeof jobs)[];
  const samples: Record<keyof typeof jobs, Sample[]> = { cli: [], floor: [], honestFloor: [], engine: [], node: [] };
  o.log(`    ${o.warmup} warm-up round(s) (the CLI's first run also fills its policy cache), then ${o.rounds} alternating rounds…`);
  for (let round = -o.warmup; round < o.rounds; round++) {
    // Rotate the order so that no command always follows the same one (caches, CPU clocks).
    for (let j = 0; j < names.length; j++) {
      const name = names[(Math.max(0, round) + j) % names.length];
      const sample = await jobs[name]();
      if (round >= 0) samples[name].push(sample);
    }
  }
  const engineCpuMean = (engineCpuSelf + engineCpuChildren) / (o.rounds + o.warmup);
  const perRound = (f: (i: number) => number) => median(samples.cli.map((_, i) => f(i)));
  const ratio = (a: Sample[], b: Sample[], key: keyof Sample) => perRound((i) => a[i][key] / b[i][key]);
  const engineSummary = summary(samples.engine);
  return {
    rounds: o.rounds,
    warmup: o.warmup,
    loadAverage: { start: loadStart.map(round2), end: os.loadavg().map(round2) },
    commands: {
      cli: `node dist/cli.js check --format json`,
      floor: `${diff.join(' ').replace(o.baseSha, '<merge-base>')}; ${untracked.join(' ')}`,
      honestFloor: `${diffU0.join(' ').replace(o.baseSha, '<merge-base>')}; ${untracked.join(' ')}; node -e 0`,
    },
    cli: summary(samples.cli),
    floor: summary(samples.floor),
    honestFloor: summary(samples.honestFloor),
    // Children's CPU comes in ticks: the mean over rounds is the honest figure.
    engine: { ...engineSummary, cpuMs: Number.isFinite(engineCpuMean) ? engineCpuMean : engineSummary.cpuMs },
    ratios: {
      cliToFloor: { wall: ratio(samples.cli, samples.floor, 'wallMs'), cpu: ratio(samples.cli, samples.floor, 'cpuMs') },
      engineToFloor: { wall: ratio(samples.engine, samples.floor, 'wallMs'), cpu: Number.isFinite(engineCpuMean) ? engineCpuMean / summary(samples.floor).cpuMs : null },
      cliToHonestFloor: { wall: ratio(samples.cli, samples.honestFloor, 'wallMs'), cpu: ratio(samples.cli, samples.honestFloor, 'cpuMs') },
    },
    cliOverHonestFloorMs: perRound((i) => samples.cli[i].wallMs - samples.honestFloor[i].wallMs),
    cliOverNodeAndFloorMs: perRound((i) => samples.cli[i].wallMs - samples.floor[i].wallMs - samples.node[i].wallMs),
    nodeStartMs: summary(samples.node),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
