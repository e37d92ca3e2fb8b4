import assert from 'node:assert/strict';
import { diffLines } from '../../src/core/change/lineDiff';
import { parseRawDiff } from '../../src/core/change/change';

/** Length of the longest common subsequence, the slow and obvious way. */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
  return t[a.length][b.length];
}

/** Applies an edit script to a and checks it yields b. */
function apply(a: string[], b: string[], edits: ReturnType<typeof diffLines>): void {
  const removed = new Set(edits.filter((e) => e.side === 'removed').map((e) => e.line));
  const added = new Map(edits.filter((e) => e.side === 'added').map((e) => [e.line, e.text]));
  for (const e of edits) {
    if (e.side === 'removed') assert.equal(a[e.line - 1], e.text, 'a removed line names its old line');
    else assert.equal(b[e.line - 1], e.text, 'an added line names its new line');
  }
  const kept = a.filter((_, i) => !removed.has(i + 1));
  const rebuilt: string[] = [];
  let k = 0;
  for (let line = 1; line <= b.length; line++) rebuilt.push(added.has(line) ? added.get(line)! : kept[k++]);
  assert.equal(k, kept.length, 'every kept line is used');
  assert.deepEqual(rebuilt, b);
}

describe('diffLines', () => {
  it('finds a minimal edit script on random texts', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const a = Array.from({ length: rand(12) }, () => 'abcd'[rand(4)]);
      const b = Array.from({ length: rand(12) }, () => 'abcd'[rand(4)]);
      const edits = diffLines(a, b);
      apply(a, b, edits);
      assert.equal(edits.length, a.length + b.length - 2 * lcs(a, b), `${a.join('')} → ${b.join('')}`);
    }
  });

  it('reports lines by their number on their own side', () => {
    assert.deepEqual(diffLines(['a', 'b', 'c'], ['a', 'x', 'c', 'd']), [
      { line: 2, text: 'b', side: 'removed' },
      { line: 2, text: 'x', side: 'added' },
      { line: 4, text: 'd', side: 'added' },
    ]);
    assert.deepEqual(diffLines([], ['new']), [{ line: 1, text: 'new', side: 'added' }]);
    assert.deepEqual(diffLines(['gone'], []), [{ line: 1, text: 'gone', side: 'removed' }]);
    assert.deepEqual(diffLines(['same'], ['same']), []);
  });

  it('stays fast on files that share nothing', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 20000 }, (_, i) => `b${i}`);
    const edits = diffLines(a, b);
    assert.equal(edits.length, 40000, 'past the edit budget every middle line counts as changed');
  });
});

describe('parseRawDiff', () => {
  it('reads statuses, blobs, renames and submodules', () => {
    const z = '0'.repeat(40);
    const o = '1'.repeat(40);
    const n = '2'.repeat(40);
    const out = Buffer.from(
      [`:100644 100644 ${o} ${z} M`, 'src/a.ts', `:000000 100644 ${z} ${n} A`, 'new file.txt', `:100644 100644 ${o} ${n} R087`, 'old/p', 'new/p', `:160000 160000 ${o} ${n} M`, 'vendor/lib', ''].join('\0'),
    );
    assert.deepEqual(parseRawDiff(out), [
      { path: 'src/a.ts', status: 'modified', blobs: { oldOid: o, newOid: z, gitlink: false } },
      { path: 'new file.txt', status: 'added', blobs: { oldOid: z, newOid: n, gitlink: false } },
      { path: 'new/p', status: 'renamed', oldPath: 'old/p', blobs: { oldOid: o, newOid: n, gitlink: false } },
      { path: 'vendor/lib', status: 'modified', blobs: { oldOid: o, newOid: n, gitlink: true } },
    ]);
  });
});
