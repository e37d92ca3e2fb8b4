// The audit benchmark (`npm run bench:audit`, also the last part of `npm run bench`): what one
// merged pull request costs the audit, and whether its memory stays flat as the period grows.
// Two histories (default 100 and 500 pull requests, `--prs 100,500`) are built like the tests'
// (test/node/auditWorld.ts: a real repository and the GitHub double, which validates every request
// against GitHub's OpenAPI description). For each, alternating, the built CLI runs
// `audit --format json` as a whole process, and beside it the git floor: one `git diff --raw`
// per pull request, the least git work an audit that reads each change must do. Reported: medians
// of wall and CPU time, per pull request from the difference of the two sizes (so start-up and
// the period's fixed reads cancel out), the ratio to the git floor, and the CLI's peak RSS at each
// size. The double answers from this process, so its own cost is not the CLI's. Never pass/fail.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeAuditWorld, type AuditWorld } from '../test/node/auditWorld';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
/** Loaded into the CLI's process only here: prints its peak RSS and CPU time when it exits. */
const PROBE = path.join(os.tmpdir(), 'change-control-audit-probe.js');
/** In one extra run per size: the live heap after a full collection, every 250 ms, its maximum printed at exit. */
const HEAP_PROBE = path.join(os.tmpdir(), 'change-control-audit-heap-probe.js');

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
}

function run(cwd: string, env: NodeJS.ProcessEnv, args: string[], probe: boolean, heap = false): Promise<Run & { liveHeapMb?: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...(heap ? ['--expose-gc', '-r', HEAP_PROBE] : []), ...(probe ? ['-r', PROBE] : []), CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /change-control-probe cpu=(\d+) rss=(\d+)/.exec(stderr);
      if (code !== 0 || !m) return reject(new Error(`audit exited ${code}: ${stderr.slice(-400)}`));
      const live = /change-control-probe heap=(\d+)/.exec(stderr);
      resolve({ wallMs, cpuMs: Number(m[1]) / 1000, maxRssMb: Number(m[2]) / 1024, ...(live ? { liveHeapMb: Number(live[1]) / 1e6 } : {}) });
    });
  });
}

async function gitFloor(world: AuditWorld): Promise<{ wallMs: number; cpuMs: number }> {
  const started = process.hrtime.bigint();
  let cpu = 0;
  for (const p of world.pulls.filter((x) => x.inPeriod)) {
    const before = process.cpuUsage();
    await new Promise<void>((resolve, reject) => {
      const child = spawn('git', ['diff', '--raw', '-z', '--no-renames', `${p.mergeCommit}^`, p.head], { cwd: world.repo.root, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
    const after = process.cpuUsage(before);
    cpu += (after.user + after.system) / 1000;
  }
  // A child's CPU is not in this process's usage: the wall time is the honest floor here.
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: cpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizes = (argv[argv.indexOf('--prs') + 1] && argv.includes('--prs') ? argv[argv.indexOf('--prs') + 1] : '100,500').split(',').map(Number);
  const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 3;
  fs.writeFileSync(PROBE, "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`change-control-probe cpu=${u.userCPUTime + u.systemCPUTime} rss=${u.maxRSS}\\n`); });\n");
  fs.writeFileSync(HEAP_PROBE, "let max = 0; setInterval(() => { global.gc(); max = Math.max(max, process.memoryUsage().heapUsed); }, 250).unref(); process.on('exit', () => process.stderr.write(`change-control-probe heap=${max}\\n`));\n");
  const results: { prs: number; audit: Run[]; floor: { wallMs: number }[]; liveHeapMb: number }[] = [];
  for (const size of sizes) {
    const world = await makeAuditWorld(size);
    const args = ['audit', '--repo', 'acme/shop', '--since', world.since, '--until', world.until, '--format', 'json', '--out', path.join(os.tmpdir(), `audit-bench-${size}.json`)];
    await run(world.repo.root, world.env, args, true); // warm-up: the fetch of the base, the OS caches
    const audit: Run[] = [];
    const floor: { wallMs: number }[] = [];
    for (let i = 0; i < runs; i++) {
      audit.push(await run(world.repo.root, world.env, args, true));
      floor.push(await gitFloor(world));
    }
    const heap = await run(world.repo.root, world.env, args, true, true);
    results.push({ prs: world.pulls.filter((p) => p.inPeriod).length, audit, floor, liveHeapMb: heap.liveHeapMb ?? NaN });
    await world.dispose();
    process.stderr.write(`audit bench: ${size} pull requests measured\n`);
  }
  const rows = results.map((r) => ({ prs: r.prs, wall: median(r.audit.map((a) => a.wallMs)), cpu: median(r.audit.map((a) => a.cpuMs)), rss: Math.max(...r.audit.map((a) => a.maxRssMb)), floor: median(r.floor.map((f) => f.wallMs)), heap: r.liveHeapMb }));
  const [small, large] = [rows[0], rows[rows.length - 1]];
  const per = (f: (r: (typeof rows)[number]) => number) => (f(large) - f(small)) / (large.prs - small.prs);
  const perWall = per((r) => r.wall);
  const perCpu = per((r) => r.cpu);
  const perFloor = per((r) => r.floor);
  const lines = [
    '| Audit | ' + rows.map((r) => `${r.prs} PRs`).join(' | ') + ' |',
    '|---|' + rows.map(() => '---:').join('|') + '|',
    '| CLI wall time (median) | ' + rows.map((r) => `${(r.wall / 1000).toFixed(2)} s`).join(' | ') + ' |',
    '| CLI CPU time (median) | ' + rows.map((r) => `${(r.cpu / 1000).toFixed(2)} s`).join(' | ') + ' |',
    '| CLI peak RSS | ' + rows.map((r) => `${r.rss.toFixed(0)} MB`).join(' | ') + ' |',
    '| CLI live heap after GC (max, sampled every 250 ms) | ' + rows.map((r) => `${r.heap.toFixed(1)} MB`).join(' | ') + ' |',
    '| git floor: one `git diff --raw` per PR (wall) | ' + rows.map((r) => `${(r.floor / 1000).toFixed(2)} s`).join(' | ') + ' |',
    '',
    `Per pull request (from the difference of the two sizes): ${perWall.toFixed(1)} ms wall, ${perCpu.toFixed(1)} ms CPU in the CLI; the git floor ${perFloor.toFixed(1)} ms, so ${(perWall / perFloor).toFixed(1)}× git's cost. Peak RSS ${small.rss.toFixed(0)} → ${large.rss.toFixed(0)} MB and live heap ${small.heap.toFixed(1)} → ${large.heap.toFixed(1)} MB from ${small.prs} to ${large.prs} pull requests (RSS grows as V8 collects lazily; the live heap is what the audit holds). Load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; ${runs} alternating runs each.`,
  ];
  const out = path.join(ROOT, 'bench', 'audit-table.md');
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n\n(written to ${path.relative(ROOT, out)})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`audit bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
