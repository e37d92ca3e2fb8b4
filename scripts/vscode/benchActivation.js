// `npm run bench:activation`: the extension's budgets, measured in the real extension host
// (code-server): bundle size, code loading + activate(), and save → status bar in a 3,000-file
// repository. Prints the numbers against the targets; results in test-results/vscode/.
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const resultsFile = path.join(root, 'test-results', 'vscode', 'bench-activation.json');
fs.rmSync(resultsFile, { force: true });
// A production build, as users get it.
const build = childProcess.spawnSync(process.execPath, ['esbuild.js', '--production', '--only=extension'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const run = childProcess.spawnSync(process.execPath, [path.join(__dirname, 'test.js'), '--layer=inhost', '--bench', '--no-build'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0 || !fs.existsSync(resultsFile)) {
  process.stderr.write('[bench:activation] the benchmark did not produce results\n');
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
const rows = [
  ['dist/extension.js (minified)', `${(r.bundleBytes / 1024).toFixed(1)} KB`, '< 250 KB', r.bundleBytes < 250 * 1024],
  ['dist/engine.js (loaded on first assessment)', `${(r.engineBytes / 1024).toFixed(1)} KB`, '—', true],
  ['code loading + activate(), wall (median)', `${(r.codeLoadingMs.median + r.activateMs).toFixed(1)} ms (${r.codeLoadingMs.median} + ${r.activateMs})`, '< 20 ms', r.codeLoadingMs.median + r.activateMs < 20],
  ['code loading + activate(), CPU (median)', `${(r.codeLoadingCpuMs.median + r.activateCpuMs).toFixed(1)} ms (${r.codeLoadingCpuMs.median} + ${r.activateCpuMs})`, '< 20 ms', r.codeLoadingCpuMs.median + r.activateCpuMs < 20],
  [`save → status bar, ${r.repositoryFiles} files (median / p90 of ${r.saveToStatusBarMs.n})`, `${r.saveToStatusBarMs.median} / ${r.saveToStatusBarMs.p90} ms`, 'p90 ≤ 30 ms', r.saveToStatusBarMs.p90 <= 30],
  ...Object.entries(r.saveToStatusBarByKind).map(([kind, s]) => [`  ${{ tracked: 'a tracked file', untracked: 'a new file', gitBusy: 'while git adds a file' }[kind] ?? kind} (median / p90)`, `${s.median} / ${s.p90} ms`, '', true]),
  ['  shown ahead of git (then confirmed by it)', `${r.savesShownAheadOfGit} of ${r.saveToStatusBarMs.n} saves`, '', true],
  ['save → confirmed by git\'s listing (median / p90)', `${r.saveConfirmedMs.median} / ${r.saveConfirmedMs.p90} ms`, '', true],
];
process.stdout.write(`\nChange Control extension budgets (VS Code ${r.vscode}, code-server; ${r.cpus} CPUs, load average ${r.loadAverage.join(' ')}):\n`);
for (const [what, value, target, ok] of rows) process.stdout.write(`  ${ok ? '✓' : '✗'} ${what.padEnd(48)} ${value.padEnd(28)} ${target}\n`);
process.exitCode = rows.every((row) => row[3]) ? 0 : 1;
