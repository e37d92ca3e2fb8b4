// Owns matching one path against many globs at once: globs are compiled once and filed by what
// each one requires, so a path is tested only against the few globs that could match it.
import picomatch from 'picomatch';
import { normaliseGlob as normalise } from '../policy/globShape';

const OPTIONS: picomatch.PicomatchOptions = { dot: true };

/** One glob as an expression. Paths may hold any character but `/`, newlines included. */
export function compileGlob(glob: string): RegExp {
  const re = picomatch.makeRe(glob, OPTIONS);
  return new RegExp(re.source, `${re.flags.replace('s', '')}s`);
}

/** A test for any of several globs. */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const res = globs.flatMap((g) => expandBraces(normalise(g))).map(compileGlob);
  return (path) => res.some((re) => re.test(path));
}

interface Entry<T> {
  value: T;
  re: RegExp;
  /** Literal text every matching path starts with, ends with and contains ('' when unsure). */
  prefix: string;
  suffix: string;
  infix: string;
  // Reaching this entry's bucket already proves the match: a/b/** (its trie node), and **/x/**,
  // **/name and **/*.ext (the folder, file name or extension it is filed by).
  sure: boolean;
}

interface TrieNode<T> {
  children: Map<string, TrieNode<T>> | null;
  /** The child reached by a one-segment wildcard (`*`, `v[0-9]*`): any one segment leads there. */
  wild: TrieNode<T> | null;
  entries: Entry<T>[];
}

const trieNode = <T>(): TrieNode<T> => ({ children: null, wild: null, entries: [] });
const EXTENSION_GLOB = /^\*\.[^*?[\]{}()!+@]+$/;

/**
 * Many globs against one path at a time. Globs that start with fixed folders are filed in a trie of
 * their leading segments (`services` → `api` → …, or `packages` → `*` → `src`), so a path meets only
 * the globs whose leading folders fit it; globs that start with `**` are filed by the folder name,
 * file name or extension they require. Every candidate is checked against cheap literal prefilters
 * before its expression runs, and the common shapes need no expression at all. This relies on
 * git's paths never holding `.`, `..` or empty segments.
 */
export class GlobIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly root: TrieNode<T> = trieNode();
  private readonly byDirName = new Map<string, Entry<T>[]>();
  private readonly byBaseName = new Map<string, Entry<T>[]>();
  private readonly byExtension = new Map<string, Entry<T>[]>();
  /** Globs with no literal to file them by, each behind the one literal it requires. */
  private readonly rest: Entry<T>[] = [];
  private restUngated: Entry<T>[] = [];
  /** One expression of the rest's required literals: a path containing none skips them all. */
  private restGate: RegExp | null = null;
  private readonly plans = new Map<string, FolderPlan<T>>();
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
    const gated = this.rest.filter((e) => e.infix);
    this.restUngated = this.rest.filter((e) => !e.infix);
    const literals = [...new Set(gated.map((e) => e.infix))].map(escapeRegExp);
    this.restGate = literals.length ? new RegExp(literals.join('|')) : null;
  }

  private add(glob: string, value: T): void {
    const segments = glob.split('/');
    if (!segments.some(isMagic)) {
      push(this.exact, glob, value);
      return;
    }
    const first = segments[0];
    const last = segments[segments.length - 1];
    const head = segments.slice(0, -1);
    const sure =
      (last === '**' && head.length > 0 && head.every((h) => h === '*' || !isMagic(h))) || // a/b/**, a/*/b/**
      (first === '**' && segments.length === 3 && !isMagic(segments[1]) && last === '**') || // **/x/**
      (first === '**' && segments.length === 2 && (!isMagic(last) || EXTENSION_GLOB.test(last))); // **/name, **/*.ext
    const entry: Entry<T> = { value, re: compileGlob(glob), ...prefilter(glob), sure };
    if (!first.includes('**')) {
      // File the glob under its fixed leading segments: literal ones by name, one-segment wildcards by the wild edge.
      let n = this.root;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        if (segment.includes('**')) break;
        if (i === segments.length - 1 && isMagic(segment)) break; // a magic file name is left to the expression
        if (isMagic(segment)) n = n.wild ??= trieNode();
        else {
          n.children ??= new Map();
          let child = n.children.get(segment);
          if (!child) n.children.set(segment, (child = trieNode()));
          n = child;
        }
      }
      n.entries.push(entry);
    } else if (first === '**' && segments.length >= 3 && !isMagic(segments[1]) && segments.slice(2).every((x) => x === '**')) {
      push(this.byDirName, segments[1], entry); // **/name/**
    } else if (!isMagic(last)) {
      push(this.byBaseName, last, entry); // **/name.ext, **/dir/*/name
    } else if (EXTENSION_GLOB.test(last)) {
      push(this.byExtension, last.slice(2), entry); // **/*.tf, **/src/**/*.d.ts
    } else {
      this.rest.push(entry);
    }
  }

  /** Every value whose glob matches the path, each once, in no particular order. */
  match(path: string): T[] {
    const found: T[] = [];
    const exact = this.exact.get(path);
    if (exact) for (const v of exact) if (!found.includes(v)) found.push(v);

    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    const base = path.slice(slash + 1);
    const plan = this.planFor(dir);
    test(plan.entries, path, found);
    for (const n of plan.frontier) {
      test(n.children?.get(base)?.entries, path, found);
      test(n.wild?.entries, path, found);
    }
    test(this.byBaseName.get(base), path, found);
    for (let dot = base.indexOf('.'); dot >= 0; dot = base.indexOf('.', dot + 1)) test(this.byExtension.get(base.slice(dot + 1)), path, found);
    // `**/x/**` also matches a file named x, as picomatch has it.
    test(this.byDirName.get(base), path, found);
    if (this.restUngated.length) test(this.restUngated, path, found);
    if (this.restGate !== null && this.restGate.test(path)) test(this.rest, path, found);
    return found;
  }

  /**
   * What a folder contributes, the same for every file in it: the entries met on the way down the
   * trie and under `**` + `/x/**`, and the trie nodes the file name continues from. Files of one
   * folder come together in a change, so this is worked out once per folder.
   */
  private planFor(dir: string): FolderPlan<T> {
    let plan = this.plans.get(dir);
    if (plan) return plan;
    plan = { entries: [], frontier: [] };
    const segments = dir === '' ? [] : dir.split('/');
    this.walk(this.root, segments, 0, plan);
    for (const segment of segments) {
      const named = this.byDirName.get(segment);
      if (named) plan.entries.push(...named);
    }
    if (this.plans.size >= MAX_PLANS) this.plans.clear();
    this.plans.set(dir, plan);
    return plan;
  }

  /** Depth first through the trie over the folder's segments: the literal child and the wildcard child. */
  private walk(n: TrieNode<T>, segments: string[], i: number, plan: FolderPlan<T>): void {
    if (n.entries.length) plan.entries.push(...n.entries);
    if (i >= segments.length) {
      if (n.children || n.wild) plan.frontier.push(n);
      return;
    }
    const child = n.children?.get(segments[i]);
    if (child) this.walk(child, segments, i + 1, plan);
    if (n.wild) this.walk(n.wild, segments, i + 1, plan);
  }
}

interface FolderPlan<T> {
  entries: Entry<T>[];
  frontier: TrieNode<T>[];
}

/** Folder plans kept at most; a repository with more folders than this starts over. */
const MAX_PLANS = 50_000;

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

/** Literal text every path matching the glob must start with, end with and contain (conservative). */
function prefilter(glob: string): { prefix: string; suffix: string; infix: string } {
  if (/[()\\!]|\[\[/.test(glob)) return { prefix: '', suffix: '', infix: '' };
  const firstMagic = glob.search(/[*?[\]{}@+]/);
  let prefix = firstMagic < 0 ? glob : glob.slice(0, firstMagic);
  // `a/**/b` also matches `a/b`: before a `**`, the prefix is sure only up to the folder name.
  if (prefix.endsWith('/') && glob.startsWith('**', prefix.length)) prefix = prefix.slice(0, -1);
  const last = glob.slice(glob.lastIndexOf('/') + 1);
  const lastMagic = Math.max(last.lastIndexOf('*'), last.lastIndexOf('?'), last.lastIndexOf(']'), last.lastIndexOf('}'));
  const suffix = last === '**' || lastMagic < 0 ? '' : last.slice(lastMagic + 1);
  const pieces = glob
    .replace(/\[[^\]]*\]/g, '*')
    .split(/[*?{}@+/]+/)
    .filter(Boolean);
  const infix = pieces.reduce((best, p) => (p.length > best.length ? p : best), '');
  return { prefix, suffix, infix };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isMagic(segment: string): boolean {
  return /[*?[\]{}()!+@]/.test(segment) || segment.includes('\\');
}

/** Expands `{a,b}` alternatives (nested and sequential), leaving `{}` without commas alone. */
export function expandBraces(glob: string): string[] {
  const open = findOpenBrace(glob);
  if (open < 0) return [glob];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  if (close < 0 || commas.length === 0) return [glob];
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const parts: string[] = [];
  let start = open + 1;
  for (const c of [...commas, close]) {
    parts.push(glob.slice(start, c));
    start = c + 1;
  }
  const out: string[] = [];
  for (const part of parts) for (const expanded of expandBraces(head + part + tail)) out.push(expanded);
  return out;
}

function findOpenBrace(glob: string): number {
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === '{') return i;
  }
  return -1;
}
