// Who owns a path by a CODEOWNERS file, by GitHub's rules: the last matching pattern wins, a
// pattern with no owners leaves its paths unowned, `#` starts a comment, there is no `!` and no
// `[ ]`, and paths are case-sensitive. The file is the base commit's (GitHub's choice: a pull
// request cannot remove its own owners); reading it is the door's or assess's job.

/** Where GitHub looks for CODEOWNERS, in order: the first found is used. */
export const CODEOWNERS_FILES = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface CodeOwnersRule {
  pattern: string;
  /** `@user`, `@org/team` or an e-mail address, as written. */
  owners: string[];
  /** 1-based line in the file. */
  line: number;
  regex: RegExp;
}

export interface CodeOwners {
  /** Which file they came from: `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`. */
  file: string;
  rules: CodeOwnersRule[];
  /** Lines GitHub would ignore too, said plainly (an unsupported `!` pattern, say). */
  problems: string[];
}

export function parseCodeOwners(file: string, text: string): CodeOwners {
  const rules: CodeOwnersRule[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = stripComment(raw).trim();
    if (!line) return;
    const [pattern, ...owners] = splitFields(line);
    if (pattern.startsWith('!') || /(?<!\\)\[/.test(pattern)) {
      problems.push(`${file}:${i + 1}: "${pattern}" uses syntax CODEOWNERS does not support (no "!" or "[ ]"); GitHub ignores the line.`);
      return;
    }
    rules.push({ pattern, owners, line: i + 1, regex: patternRegex(pattern) });
  });
  return { file, rules, problems };
}

/** The rule that decides a path's owners (the last match), or undefined when none matches. */
export function codeOwnersRuleFor(codeOwners: CodeOwners, path: string): CodeOwnersRule | undefined {
  for (let i = codeOwners.rules.length - 1; i >= 0; i--) if (codeOwners.rules[i].regex.test(path)) return codeOwners.rules[i];
  return undefined;
}

/** A path's owners ([] when unowned). */
export function ownersOf(codeOwners: CodeOwners, path: string): string[] {
  return codeOwnersRuleFor(codeOwners, path)?.owners ?? [];
}

/** `#` starts a comment unless escaped (`\#` is a pattern character). */
function stripComment(line: string): string {
  const m = /(^|[^\\])#/.exec(line);
  return m ? line.slice(0, m.index + m[1].length) : line;
}

/** Fields split on whitespace; `\ ` keeps a space inside a pattern. */
function splitFields(line: string): string[] {
  return line
    .split(/(?<!\\)\s+/)
    .filter(Boolean)
    .map((f) => f.replace(/\\([ #])/g, '$1'));
}

/** gitignore-style matching, as GitHub applies it to CODEOWNERS. */
function patternRegex(pattern: string): RegExp {
  let p = pattern;
  const directoryOnly = p.endsWith('/');
  if (directoryOnly) p = p.replace(/\/+$/, '');
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches at any depth.
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  const segments = p.split('/');
  const last = segments[segments.length - 1];
  let body = '';
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const isLast = i === segments.length - 1;
    if (seg === '**') {
      // `**/` any leading folders; a final `/**` everything inside.
      body += isLast ? '.*' : '(?:[^/]+/)*';
      continue;
    }
    body += segmentRegex(seg) + (isLast ? '' : '/');
  }
  body = body.replace(/\/\.\*$/, '/.+');
  const start = anchored ? '^' : '^(?:.*/)?';
  // A directory (or a name without wildcards) owns everything below it; `docs/*` owns only its direct files.
  const below = last === '**' ? '' : directoryOnly ? '/.+' : /[*?]/.test(last) ? '' : '(?:/.+)?';
  return new RegExp(`${start}${body}${below}$`, 'u');
}

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) {
      out += escape(segment[++i]);
    } else if (c === '*') {
      while (segment[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += escape(c);
    }
  }
  return out;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
