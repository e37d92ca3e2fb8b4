// A writer killed mid-write leaves scratch files behind (`*.tmp`, `*.new`, `*.reap-*`): the next
// write removes those whose owner is dead, and never one a live writer is using. The writers here
// are real processes, stopped at a chosen step of the write and killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { updateEvidence, readEvidence, evidencePath } from '../../src/node/evidenceStore';
import { tempDir as makeTempDir } from './gitRepo';

const STORE = path.resolve(__dirname, '../../src/node/evidenceStore.js');

/**
 * A writer that stops for good at the first call of `fs.promises[method]` whose path matches
 * `pattern`, says "stopped" and waits to be killed.
 */
const STOPPING_WRITER = `
const fs = require('node:fs').promises;
const [commonDir, method, pattern] = process.argv.slice(2);
const original = fs[method];
fs[method] = (...args) => {
  if (new RegExp(pattern).test(String(args[0]))) {
    process.stdout.write('stopped\\n');
    return new Promise(() => {});
  }
  return original.apply(fs, args);
};
const { updateEvidence } = require(${JSON.stringify(STORE)});
updateEvidence({ commonDir, branch: 'feature', headSha: null }, (e) => ({ ...e, changeRecord: { ...e.changeRecord, killed: 'v' } }), 60000);
`;

function stopAndKill(script: string, commonDir: string, method: string, pattern: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, commonDir, method, pattern], { stdio: ['ignore', 'pipe', 'inherit'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('stopped')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the writer was not stopped (${method} ${pattern})`));
    });
  });
}

/** Makes every file in the folder look a minute old: a dead owner's scratch file is removed only after a grace period. */
function age(dir: string): void {
  const then = new Date(Date.now() - 60_000);
  for (const name of readdirSync(dir)) utimesSync(path.join(dir, name), then, then);
}

describe('leftovers of killed writers', () => {
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = makeTempDir(prefix);
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('the next write removes the .tmp, .new and .reap-* files that killed writers left, and keeps its own record', async function () {
    const commonDir = tempDir('cc-leftovers-');
    const script = path.join(commonDir, 'writer.js');
    writeFileSync(script, STOPPING_WRITER);
    const where = { commonDir, branch: 'feature', headSha: null };
    const dir = path.dirname(evidencePath(where));
    mkdirSync(dir, { recursive: true });
    // 1. Killed with the record's .tmp written, before its rename: leaves the .tmp and a dead holder's lock.
    await stopAndKill(script, commonDir, 'rename', '\\.tmp$');
    // 2. Killed creating its lock file, before the link: leaves a .new.
    await stopAndKill(script, commonDir, 'link', '\\.new$');
    // 3. Killed taking over the dead lock, after the rename and before it removed its claim: leaves a .reap-* claim on a token the lock no longer holds.
    await stopAndKill(script, commonDir, 'rm', '\\.reap-[^.]*$');
    const before = readdirSync(dir);
    assert.ok(before.some((n) => n.endsWith('.tmp')), before.join(', '));
    assert.ok(before.some((n) => n.endsWith('.new')), before.join(', '));
    assert.ok(before.some((n) => n.includes('.reap-')), before.join(', '));
    age(dir);

    await updateEvidence(where, (e) => ({ ...e, changeRecord: { ...e.changeRecord, kept: 'v' } }), 10_000);
    assert.deepEqual(readdirSync(dir), [path.basename(evidencePath(where))]);
    assert.deepEqual((await readEvidence(where)).evidence.changeRecord, { kept: 'v' });
  });

  it("keeps a live writer's scratch files, and a dead owner's for a grace period", async () => {
    const commonDir = tempDir('cc-leftovers-');
    const where = { commonDir, branch: 'feature', headSha: null };
    const dir = path.dirname(evidencePath(where));
    mkdirSync(dir, { recursive: true });
    const file = evidencePath(where);
    const live = `${file}.${process.pid}-0123456789ab.tmp`;
    const recent = `${file}.999999999-0123456789ab.tmp`; // no such pid; written just now
    writeFileSync(live, 'x');
    writeFileSync(recent, 'x');
    await updateEvidence(where, (e) => e, 10_000);
    assert.deepEqual(readdirSync(dir).sort(), [path.basename(file), path.basename(live), path.basename(recent)].sort());
    age(dir);
    await updateEvidence(where, (e) => e, 10_000);
    assert.deepEqual(readdirSync(dir).sort(), [path.basename(file), path.basename(live)].sort(), 'only the dead owner’s file goes');
  });
});
