// Owns the line diff of two versions of a file: which lines were added and which removed. Done in
// process because a pathspec-limited `git diff -U0` costs git a pass over every index entry per
// path, more than the whole change's listing on a large repository.
import type { ChangedLine } from './changedLines';

/** Past this many edits in the middle of a file, every middle line counts as changed. */
const MAX_EDITS = 2000;

/** Added and removed lines between two texts: Myers' O((N+M)·D) diff after trimming common ends. */
export function diffLines(a: readonly string[], b: readonly string[]): ChangedLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const everything = (): ChangedLine[] => {
    const out: ChangedLine[] = [];
    for (let i = 0; i < n; i++) out.push({ line: start + i + 1, text: a[start + i], side: 'removed' });
    for (let j = 0; j < m; j++) out.push({ line: start + j + 1, text: b[start + j], side: 'added' });
    return out;
  };
  if (n === 0 || m === 0) return everything();

  const max = n + m;
  const offset = max + 1; // the band [-d-1, d+1] never starts below index 0
  const v = new Int32Array(2 * max + 3);
  // trace[d]: the band of V at the start of round d; O(D²) memory rather than O(D·(N+M)).
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    if (d > MAX_EDITS) return everything();
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace to recover the edit script.
  const edits: ChangedLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const band = trace[d];
    const at = (k: number) => band[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (x === prevX) edits.push({ line: start + y, text: b[start + y - 1], side: 'added' });
    else edits.push({ line: start + x, text: a[start + x - 1], side: 'removed' });
    x = prevX;
    y = prevY;
  }
  edits.reverse();
  return edits;
}
