// File names that are not UTF-8 (written by a Latin-1 or Shift-JIS system): content rules still
// read the file, by its bytes, and the name round-trips through JSON output (`pathBytes`), never
// shown as U+FFFD.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodePath } from '../../src/core/change/pathBytes';
import { runCliSync } from './cliProcess';
import { SECRETS_POLICY, TestRepo } from './gitRepo';


/** `src/caf\xe9.txt`: "café" in Latin-1. */
const LATIN1 = (name: string) => Buffer.concat([Buffer.from(`src/${name}`), Buffer.from([0xe9]), Buffer.from('.txt')]);

function writeRaw(repo: TestRepo, name: Buffer, content: string): void {
  mkdirSync(path.join(repo.root, 'src'), { recursive: true });
  writeFileSync(Buffer.concat([Buffer.from(`${repo.root}/`), name]), content);
}

function checkJson(repo: TestRepo, ...args: string[]) {
  const r = runCliSync(repo.root, ['check', '--format', 'json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('\uFFFD'), 'no replacement character in the output');
  return JSON.parse(r.stdout) as { level: string; files: { path: string; pathBytes?: string; status: string; zones: string[] }[]; reasons: { path: string | null }[] };
}

describe('file names that are not UTF-8', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((r) => r.dispose()));

  (process.platform === 'linux' ? it : it.skip)('an untracked and a modified file are seen by content rules, and their names round-trip in JSON', () => {
    const repo = TestRepo.create();
    repos.push(repo);
    repo.write('.change-control.yml', SECRETS_POLICY);
    writeRaw(repo, LATIN1('mod'), 'one\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    writeRaw(repo, LATIN1('mod'), 'one\nSECRET_TWO\n');
    writeRaw(repo, LATIN1('caf'), 'SECRET_KEY\n');

    const out = checkJson(repo);
    assert.equal(out.level, 'high');
    const files = out.files.map((f) => [f.path, f.status, f.zones, Buffer.from(f.pathBytes ?? '', 'base64')] as const);
    assert.deepEqual(files.map(([p, s, z]) => [p, s, z]).sort(), [
      ['src/caf\\351.txt', 'untracked', ['secrets']],
      ['src/mod\\351.txt', 'modified', ['secrets']],
    ]);
    for (const [p, , , bytes] of files) assert.deepEqual(bytes, LATIN1(p.slice(4, 7)), `pathBytes gives back the name's bytes: ${p}`);
    assert.deepEqual(out.reasons.map((r) => r.path).sort(), ['src/caf\\351.txt', 'src/mod\\351.txt']);

    // Committed, read from git's blobs: the same.
    repo.commit('feature');
    const committed = checkJson(repo, '--head', 'HEAD');
    assert.equal(committed.level, 'high');
    assert.deepEqual(committed.files.map((f) => [f.path, f.pathBytes]).sort(), [
      ['src/caf\\351.txt', LATIN1('caf').toString('base64')],
      ['src/mod\\351.txt', LATIN1('mod').toString('base64')],
    ]);
  });

  it('decodes a name: UTF-8 as it is, each invalid byte as git writes it (\\ooo), with the bytes kept', () => {
    assert.deepEqual(decodePath(Buffer.from('src/café/日本.ts')), { path: 'src/café/日本.ts' });
    const cases: [number[], string][] = [
      [[0x61, 0xe9, 0x62], 'a\\351b'], // Latin-1 é
      [[0xc3, 0xa9, 0xe9], 'é\\351'], // valid then invalid
      [[0xc0, 0x80], '\\300\\200'], // overlong NUL
      [[0xed, 0xa0, 0x80], '\\355\\240\\200'], // a UTF-16 surrogate
      [[0xe6, 0x97], '\\346\\227'], // truncated at the end
      [[0xff, 0x2f, 0xef, 0xbf, 0xbd], '\\377/\uFFFD'], // a real U+FFFD in the name stays one
    ];
    for (const [bytes, text] of cases) {
      const decoded = decodePath(Buffer.from(bytes));
      assert.equal(decoded.path, text, JSON.stringify(bytes));
      assert.deepEqual(decoded.pathBytes, Buffer.from(bytes));
    }
    assert.deepEqual(decodePath(Buffer.from([0xef, 0xbf, 0xbd])), { path: '\uFFFD' }, 'a valid name with U+FFFD is UTF-8');
  });
});
