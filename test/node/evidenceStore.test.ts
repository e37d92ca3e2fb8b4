// The evidence store under real contention: many writer processes, stale locks, killed writers,
// names too long for a file name, a newer build's record, a read-only or broken git dir.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { emptyEvidence } from '../../src/core/checklist/evidence';
import { inspectRepository } from '../../src/core/change/change';
import { isChangeControlError } from '../../src/core/errors';
import { createGit } from '../../src/node/git';
import { evidencePath, readEvidence, updateEvidence, writeEvidence } from '../../src/node/evidenceStore';
import { TestRepo } from './gitRepo';

// The compiled store, as the CLI runs it (this file runs from out/test/node).
const STORE = path.resolve(__dirname, '../../src/node/evidenceStore.js');

const WRITER = `
const { updateEvidence } = require(${JSON.stringify(STORE)});
const [commonDir, branch, id, count] = process.argv.slice(2);
(async () => {
  for (let i = 0; i < Number(count); i++) {
    const key = 'w' + id + '-' + i;
    try {
      await updateEvidence({ commonDir, branch, headSha: null }, (e) => ({ ...e, changeRecord: { ...e.changeRecord, [key]: 'v' } }));
      process.stdout.write('ack ' + key + '\\n');
    } catch (err) {
      process.stdout.write('err ' + key + ' ' + String(err && err.message).split('\\n')[0] + '\\n');
    }
  }
})();
`;

interface Outcome {
  acked: Set<string>;
  errors: string[];
  killed: Set<number>;
  unacked: string[];
}

async function runWriters(commonDir: string, branch: string, writers: number, writes: number, kill: number): Promise<Outcome> {
  const script = path.join(commonDir, 'writer.js');
  writeFileSync(script, WRITER);
  const acked = new Set<string>();
  const errors: string[] = [];
  const killed = new Set<number>();
  const told = new Set<string>();
  await Promise.all(
    Array.from({ length: writers }, (_, id) =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [script, commonDir, branch, String(id), String(writes)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let buffer = '';
        child.stdout.on('data', (d: Buffer) => {
          buffer += d.toString();
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            const [kind, key, ...rest] = line.split(' ');
            told.add(key);
            if (kind === 'ack') acked.add(key);
            else errors.push(`${key}: ${rest.join(' ')}`);
            // Kill the first `kill` writers right after their first acknowledgement, mid-run.
            if (id < kill && kind === 'ack' && !killed.has(id)) {
              killed.add(id);
              child.kill('SIGKILL');
            }
          }
        });
        const guard = setTimeout(() => child.kill('SIGKILL'), 40_000); // a hung writer fails the test, never hangs it
        child.on('exit', () => {
          clearTimeout(guard);
          resolve();
        });
      }),
    ),
  );
  const unacked: string[] = [];
  for (let id = 0; id < writers; id++) for (let i = 0; i < writes; i++) if (!acked.has(`w${id}-${i}`)) unacked.push(`w${id}-${i}`);
  // Every write not acknowledged was told so: an error, or its writer was killed.
  for (const key of unacked) assert.ok(told.has(key) || killed.has(Number(key.slice(1).split('-')[0])), `${key} was neither acknowledged, refused nor killed`);
  return { acked, errors, killed, unacked };
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the evidence store under many writer processes', function () {
  this.timeout(60_000);
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  async function stateOf(branch = 'main') {
    const repo = TestRepo.create({ branch });
    repos.push(repo);
    repo.commitFiles({ a: '1' });
    return inspectRepository(createGit(repo.root));
  }

  const scenarios: Array<[string, (lock: string) => void]> = [
    ['with no lock at the start', () => undefined],
    ['with a stale lock of a dead writer at the start', (lock) => writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'deadbeefdeadbeef', at: '2026-01-01T00:00:00Z' }))],
  ];
  for (const [title, prepare] of scenarios) {
    it(`50 writers × 4 writes, 5 of them killed mid-run, ${title}: every acknowledged write is kept, none refused`, async () => {
      const state = await stateOf();
      const file = evidencePath(state);
      mkdirSync(path.dirname(file), { recursive: true });
      prepare(`${file}.lock`);
      const out = await runWriters(state.commonDir, state.branch!, 50, 4, 5);
      assert.deepEqual(out.errors, [], 'no writer is refused under ordinary contention');
      assert.equal(out.killed.size, 5);
      const { evidence, warning } = await readEvidence(state);
      assert.equal(warning, undefined);
      const lost = [...out.acked].filter((k) => evidence.changeRecord[k] !== 'v');
      assert.deepEqual(lost, [], 'acknowledged writes lost');
      assert.ok(out.acked.size >= 45 * 4 + 5, `${out.acked.size} acknowledged`);
    });
  }
});

describe('the evidence store’s locks, file names and records', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  async function stateOf(branch = 'main') {
    const repo = TestRepo.create({ branch });
    repos.push(repo);
    repo.commitFiles({ a: '1' });
    return inspectRepository(createGit(repo.root));
  }

  it('an older build’s empty lock left behind is taken over once it is stale, and every concurrent write lands', async () => {
    const state = await stateOf();
    const lock = `${evidencePath(state)}.lock`;
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    await Promise.all(Array.from({ length: 20 }, (_, i) => updateEvidence(state, (e) => ({ ...e, changeRecord: { ...e.changeRecord, [`f${i}`]: 'v' } }))));
    assert.equal(Object.keys((await readEvidence(state)).evidence.changeRecord).length, 20);
    assert.deepEqual(readdirSync(path.dirname(lock)).filter((f) => f !== path.basename(evidencePath(state))), [], 'no lock, claim or temporary file is left');
  });

  it('a live holder’s lock is never taken: a writer waits, then says so in one sentence', async () => {
    const state = await stateOf();
    const lock = `${evidencePath(state)}.lock`;
    mkdirSync(path.dirname(lock), { recursive: true });
    const old = new Date(Date.now() - 30_000);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'livelivelivelive', at: old.toISOString() }));
    utimesSync(lock, old, old);
    await assert.rejects(updateEvidence(state, (e) => e, 300), (err: unknown) => isChangeControlError(err) && err.code === 'IO' && /Another Change Control has been changing .* \(process \d+ on .*\).*try again when it has finished/.test(err.message));
    assert.equal(JSON.parse(readFileSync(lock, 'utf8')).token, 'livelivelivelive', 'the live holder’s lock is left alone');
  });

  for (const [what, branch] of [['60 emoji', '🚀'.repeat(60)], ['25 CJK characters', '変更管理の記録を長い名前で保存する枝の名前です日本語中文'.slice(0, 25)]] as const) {
    it(`a branch named with ${what} is written and read back`, async () => {
      const state = await stateOf(branch);
      assert.equal(state.branch, branch);
      assert.ok(path.basename(evidencePath(state)).length < 200);
      await updateEvidence(state, (e) => ({ ...e, changeRecord: { description: 'Long name' } }));
      assert.equal((await readEvidence(state)).evidence.changeRecord.description, 'Long name');
      const other = await readEvidence({ ...state, branch: `${branch}x` });
      assert.deepEqual(other.evidence, emptyEvidence(), 'a longer name sharing the prefix is another record');
    });
  }

  it('a record under an older build’s file name is still read, and the next write goes to the new name', async () => {
    const branch = `feature/${'a'.repeat(150)}`;
    const state = await stateOf(branch);
    const dir = path.dirname(evidencePath(state));
    const old = path.join(dir, `branch-${encodeURIComponent(branch)}.json`);
    assert.notEqual(old, evidencePath(state));
    mkdirSync(dir, { recursive: true });
    writeFileSync(old, JSON.stringify({ ...emptyEvidence(), changeRecord: { description: 'Old' } }));
    assert.equal((await readEvidence(state)).evidence.changeRecord.description, 'Old');
    await updateEvidence(state, (e) => ({ ...e, changeRecord: { ...e.changeRecord, risk: 'Low' } }));
    assert.deepEqual(JSON.parse(readFileSync(evidencePath(state), 'utf8')).changeRecord, { description: 'Old', risk: 'Low' });
  });

  it('a newer build’s record it cannot read whole is kept in place, read as far as it can be, and never overwritten', async () => {
    const state = await stateOf();
    const file = evidencePath(state);
    mkdirSync(path.dirname(file), { recursive: true });
    const newer = { version: 2, attestations: { e2e: { by: 'x', at: 'a new kind of time', commit: null, zones: [] } }, changeRecord: { description: 'Kept' }, commands: {}, notifications: {}, gate: { by: 'octocat' } };
    writeFileSync(file, JSON.stringify(newer));
    const read = await readEvidence(state);
    assert.equal(read.evidence.changeRecord.description, 'Kept', 'read as far as it can be');
    assert.equal((read.evidence as Record<string, unknown>).gate !== undefined, true, 'unknown fields kept');
    assert.match(read.warning ?? '', /newer Change Control \(format version 2\).*kept as it is/);
    assert.deepEqual(readdirSync(path.dirname(file)).filter((f) => f.includes('unreadable')), [], 'never moved aside');
    await assert.rejects(updateEvidence(state, (e) => e), (err: unknown) => isChangeControlError(err) && err.code === 'IO' && /newer Change Control.*update Change Control/.test(err.message));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), newer, 'left exactly as it was');
  });

  it('a version-2 record it can read keeps its version and unknown fields on write', async () => {
    const state = await stateOf();
    const file = evidencePath(state);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...emptyEvidence(), version: 2, gate: { by: 'octocat' } }));
    await updateEvidence(state, (e) => ({ ...e, changeRecord: { description: 'Why' } }));
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(stored.version, 2);
    assert.deepEqual(stored.gate, { by: 'octocat' });
    assert.equal(stored.changeRecord.description, 'Why');
  });

  it('a failed write is one sentence with its fix and leaves no .tmp behind', async () => {
    const state = await stateOf();
    const file = evidencePath(state);
    mkdirSync(file, { recursive: true }); // the record's place is taken by a folder
    await assert.rejects(updateEvidence(state, (e) => e), (err: unknown) => isChangeControlError(err) && err.code === 'IO' && /could not be saved: .* is a folder; move it away and try again\.$/.test(err.message));
    await assert.rejects(writeEvidence(state, emptyEvidence()), (err: unknown) => isChangeControlError(err) && err.code === 'IO');
    assert.deepEqual(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp') || f.includes('.lock')), []);
  });

  it('with the git dir read-only, a write says so and a reader does not claim it moved a record aside', async function () {
    const state = await stateOf();
    const file = evidencePath(state);
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '{ not json');
    chmodSync(dir, 0o555);
    const probe = path.join(dir, 'probe');
    let writable = false;
    try {
      writeFileSync(probe, '');
      rmSync(probe);
      writable = true;
    } catch {
      // read-only, as meant
    }
    if (writable) {
      chmodSync(dir, 0o755);
      this.skip(); // running as root: chmod does not stop root from writing, so there is nothing to test
    }
    try {
      const read = await readEvidence(state);
      assert.doesNotMatch(read.warning ?? '', /it was kept as/);
      assert.match(read.warning ?? '', /could not be read/);
      assert.ok(existsSync(file), 'left in place');
      await assert.rejects(updateEvidence(state, (e) => e, 2_000), (err: unknown) => isChangeControlError(err) && err.code === 'IO' && /permission to write .* denied; make the folder writable/.test(err.message));
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
