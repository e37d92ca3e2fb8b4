// Owns matching one path against many globs at once. Globs are compiled once and indexed by the
// literal part each one requires (exact path, first folder, a folder name anywhere, file name or
// extension), so a path is tested only against the few globs that could match it.
import picomatch from 'picomatch';

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
}

export class GlobIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly byFirstSegment = new Map<string, Entry<T>[]>();
  private readonly byDirName = new Map<string, Entry<T>[]>();
  private readonly byBaseName = new Map<string, Entry<T>[]>();
  private readonly byExtension = new Map<string, Entry<T>[]>();
  private readonly rest: Entry<T>[] = [];
  readonly size: number;

  constructor(globs: Iterable<{ glob: string; value: T }>) {
    const restByValue = new Map<T, string[]>();
    let size = 0;
    for (const { glob, value } of globs) {
      for (const alternative of expandBraces(normalise(glob))) {
        size++;
        this.add(alternative, value, restByValue);
      }
    }
    // Globs with no literal to index by are merged per value into one expression.
    for (const [value, sources] of restByValue) {
      this.rest.push({ value, re: new RegExp(sources.map((s) => `(?:${s})`).join('|'), 's') });
    }
    this.size = size;
  }

  private add(glob: string, value: T, restByValue: Map<T, string[]>): void {
    const segments = glob.split('/');
    if (!segments.some(isMagic)) {
      push(this.exact, glob, value);
      return;
    }
    const entry: Entry<T> = { value, re: compileGlob(glob) };
    const first = segments[0];
    const last = segments[segments.length - 1];
    if (!isMagic(first)) {
      push(this.byFirstSegment, first, entry);
    } else if (first === '**' && segments.length >= 3 && !isMagic(segments[1]) && segments.slice(2).every((s) => s === '**')) {
      push(this.byDirName, segments[1], entry); // **/name/**
    } else if (!isMagic(last)) {
      push(this.byBaseName, last, entry); // **/name.ext, **/dir/*/name
    } else if (/^\*\.[^*?[\]{}()!+@]+$/.test(last)) {
      push(this.byExtension, last.slice(2), entry); // **/*.tf, src/**/*.d.ts
    } else {
      const list = restByValue.get(value) ?? [];
      list.push(entry.re.source);
      restByValue.set(value, list);
    }
  }

  /** Every value whose glob matches the path, each once, in no particular order. */
  match(path: string): T[] {
    const found = new Set<T>();
    const exact = this.exact.get(path);
    if (exact) for (const v of exact) found.add(v);

    const slash = path.indexOf('/');
    if (slash > 0) test(this.byFirstSegment.get(path.slice(0, slash)), path, found);
    else test(this.byFirstSegment.get(path), path, found);

    const lastSlash = path.lastIndexOf('/');
    const base = path.slice(lastSlash + 1);
    test(this.byBaseName.get(base), path, found);
    let dot = base.indexOf('.', 1);
    while (dot > 0) {
      test(this.byExtension.get(base.slice(dot + 1)), path, found);
      dot = base.indexOf('.', dot + 1);
    }
    if (this.byDirName.size > 0 && lastSlash > 0) {
      let start = 0;
      while (start < lastSlash) {
        const end = path.indexOf('/', start);
        test(this.byDirName.get(path.slice(start, end)), path, found);
        start = end + 1;
      }
    }
    test(this.rest, path, found);
    return [...found];
  }
}

function test<T>(entries: Entry<T>[] | undefined, path: string, found: Set<T>): void {
  if (!entries) return;
  for (const e of entries) if (!found.has(e.value) && e.re.test(path)) found.add(e.value);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

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
