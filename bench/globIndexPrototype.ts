// A prototype of a faster GlobIndex, kept in the benchmark as evidence for a suggested engine change
// (src/core/rules/globIndex.ts is not the benchmark's to edit). Same contract as GlobIndex: globs
// compiled once, match(path) returns every value whose glob matches, each once.
//
// Why: GlobIndex files a glob under its first literal segment, so in a monorepo every
// `services/<x>/...` glob lands in one `services` bucket and every services path runs all of them
// (hundreds of regular expressions per path). Here:
//  1. Globs that start with literal or one-segment-wildcard segments are filed in a segment trie
//     (`services` → `s123` → …, or `services` → `*` → `src` → `auth`), down to their first `**` or
//     their last segment; a path walks the trie once and meets only the globs whose fixed leading
//     segments fit it.
//  2. Every glob carries a cheap literal prefilter (prefix, suffix, a required infix) checked with
//     startsWith/endsWith/includes before its regular expression runs.
//  3. Globs starting with `**` keep GlobIndex's buckets (folder name, file name, extension), and the
//     rest are kept one per glob behind their prefilter instead of merged per value.
//  4. The common shapes need no expression at all once their bucket is reached: `a/b/**` (its trie
//     node), `**/x/**` (a folder named x), `**/name` and `**/*.ext` (the file name or extension).
//     This relies on git's paths never holding `.`, `..` or empty segments.
import { compileGlob, expandBraces } from '../src/core/rules/globIndex';

interface Entry<T> {
  value: T;
  re: RegExp;
  prefix: string;
  suffix: string;
  infix: string;
  /** Reaching this entry's bucket already proves the match (`a/b/**` by its trie node, `**` + `/x/**`, `/*.x`, `/name`). */
  sure: boolean;
}

interface Node<T> {
  children: Map<string, Node<T>> | null;
  /** Child reached by a one-segment wildcard (`*`, `s0[0-4]*`, `?x`): any segment may follow it. */
  wild: Node<T> | null;
  entries: Entry<T>[];
}

const node = <T>(): Node<T> => ({ children: null, wild: null, entries: [] });

function isMagic(segment: string): boolean {
  return /[*?[\]{}()!+@]/.test(segment) || segment.includes('\\');
}

function normalise(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  if (g.endsWith('/')) g = `${g}**`;
  return g;
}

/** Literal text every matching path must start with, end with, and contain (conservative: '' when unsure). */
function prefilter(glob: string): { prefix: string; suffix: string; infix: string } {
  if (/[()\\!]|\[\[/.test(glob)) return { prefix: '', suffix: '', infix: '' };
  const firstMagic = glob.search(/[*?[\]{}@+]/);
  let prefix = firstMagic < 0 ? glob : glob.slice(0, firstMagic);
  // `a/**/b` also matches `a/b`: a prefix ending in "/" before `**` is only sure up to the name.
  if (prefix.endsWith('/') && glob.startsWith('**', prefix.length)) prefix = prefix.slice(0, -1);
  const last = glob.slice(glob.lastIndexOf('/') + 1);
  const lastMagic = Math.max(last.lastIndexOf('*'), last.lastIndexOf('?'), last.lastIndexOf(']'), last.lastIndexOf('}'));
  const suffix = last === '**' ? '' : lastMagic < 0 ? '' : last.slice(lastMagic + 1);
  const pieces = glob
    .replace(/\[[^\]]*\]/g, '*')
    .split(/[*?{}@+/]+/)
    .filter(Boolean);
  const infix = pieces.reduce((best, p) => (p.length > best.length ? p : best), '');
  return { prefix, suffix, infix };
}

export class SegmentTrieGlobIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly root: Node<T> = node();
  private readonly byDirName = new Map<string, Entry<T>[]>();
  private readonly byBaseName = new Map<string, Entry<T>[]>();
  private readonly byExtension = new Map<string, Entry<T>[]>();
  private readonly rest: Entry<T>[] = [];
  readonly size: number;

  constructor(globs: Iterable<{ glob: string; value: T }>) {
    let size = 0;
    for (const { glob, value } of globs) {
      for (const alternative of expandBraces(normalise(glob))) {
        size++;
        this.add(alternative, value);
      }
    }
    this.size = size;
  }

  private add(glob: string, value: T): void {
    const segments = glob.split('/');
    if (!segments.some(isMagic)) {
      const list = this.exact.get(glob);
      if (list) list.push(value);
      else this.exact.set(glob, [value]);
      return;
    }
    const entry: Entry<T> = { value, re: compileGlob(glob), ...prefilter(glob), sure: false };
    const first = segments[0];
    const last = segments[segments.length - 1];
    const literalHead = segments.slice(0, -1);
    // a/b/** at node a→b; a/*/b/** at node a→*→b (a lone `*` takes any one segment: git paths have no empty ones)
    if (last === '**' && literalHead.length > 0 && literalHead.every((h) => h === '*' || !isMagic(h))) entry.sure = true;
    else if (first === '**' && segments.length === 3 && !isMagic(segments[1]) && last === '**') entry.sure = true; // **/x/**
    else if (first === '**' && segments.length === 2 && !isMagic(last)) entry.sure = true; // **/name
    else if (first === '**' && segments.length === 2 && /^\*\.[^*?[\]{}()!+@]+$/.test(last)) entry.sure = true; // **/*.x
    if (first !== '**' && !first.includes('**')) {
      // Walk the fixed leading segments: literal ones by name, one-segment wildcards by the wild edge.
      let n = this.root;
      for (let i = 0; i < segments.length; i++) {
        const s = segments[i];
        if (s.includes('**')) break;
        if (i === segments.length - 1 && isMagic(s)) break; // a magic file name is checked by the expression
        if (isMagic(s)) n = n.wild ??= node();
        else {
          n.children ??= new Map();
          let child = n.children.get(s);
          if (!child) n.children.set(s, (child = node()));
          n = child;
        }
      }
      n.entries.push(entry);
      return;
    }
    if (first === '**' && segments.length >= 3 && !isMagic(segments[1]) && segments.slice(2).every((s) => s === '**')) push(this.byDirName, segments[1], entry);
    else if (!isMagic(last)) push(this.byBaseName, last, entry);
    else if (/^\*\.[^*?[\]{}()!+@]+$/.test(last)) push(this.byExtension, last.slice(2), entry);
    else this.rest.push(entry);
  }

  /** One expression of every rest glob's required literal: a path that contains none skips them all. */
  private restGate: RegExp | null = null;
  private restUngated: Entry<T>[] = [];

  private seal(): void {
    const gated = this.rest.filter((e) => e.infix);
    this.restUngated = this.rest.filter((e) => !e.infix);
    const literals = [...new Set(gated.map((e) => e.infix))].map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.restGate = literals.length ? new RegExp(literals.join('|')) : null;
    this.sealed = true;
  }
  private sealed = false;

  match(path: string): T[] {
    if (!this.sealed) this.seal();
    const found: T[] = [];
    const exact = this.exact.get(path);
    if (exact) for (const v of exact) if (!found.includes(v)) found.push(v);

    const segments = path.split('/');
    this.walk(this.root, segments, 0, path, found);

    const last = segments.length - 1;
    const base = segments[last];
    test(this.byBaseName.get(base), path, found);
    let dot = base.indexOf('.', 1);
    while (dot > 0) {
      test(this.byExtension.get(base.slice(dot + 1)), path, found);
      dot = base.indexOf('.', dot + 1);
    }
    if (this.byDirName.size > 0) for (let i = 0; i < last; i++) test(this.byDirName.get(segments[i]), path, found);
    if (this.restUngated.length) test(this.restUngated, path, found);
    if (this.restGate !== null && this.restGate.test(path)) test(this.rest, path, found);
    return found;
  }

  /** The trie, depth first: a literal child and the wildcard child, rarely both. */
  private walk(n: Node<T>, segments: string[], i: number, path: string, found: T[]): void {
    if (n.entries.length) test(n.entries, path, found);
    if (i >= segments.length) return;
    const child = n.children?.get(segments[i]);
    if (child) this.walk(child, segments, i + 1, path, found);
    if (n.wild) this.walk(n.wild, segments, i + 1, path, found);
  }
}

function test<T>(entries: Entry<T>[] | undefined, path: string, found: T[]): void {
  if (!entries) return;
  for (const e of entries) {
    if (found.includes(e.value)) continue;
    if (e.sure) {
      found.push(e.value);
      continue;
    }
    if (e.prefix && !path.startsWith(e.prefix)) continue;
    if (e.suffix && !path.endsWith(e.suffix)) continue;
    if (e.infix && !path.includes(e.infix)) continue;
    if (e.re.test(path)) found.push(e.value);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
