// Owns content patterns: the regular expressions zones match on changed lines. They are written by
// whoever can open a pull request and run inside the editor's extension host, so they are matched
// with RE2 semantics (re2js): time linear in the line, whatever the pattern. What RE2 cannot do in
// linear time (backreferences, lookaround) is refused at validation, with where it is.
import { RE2JS, RE2JSException } from 're2js';

/** The longest content pattern accepted: a pattern is a few words, not a program. */
export const MAX_CONTENT_PATTERN_LENGTH = 1000;

/** A compiled content pattern: whether a line matches, and the text that matched. */
export interface ContentPattern {
  test(text: string): boolean;
  /** The first match in the text, undefined when there is none. */
  match(text: string): string | undefined;
}

/** Features a backtracking engine offers and RE2 refuses, as they start in a pattern. */
const UNSUPPORTED: readonly { start: RegExp; what: string }[] = [
  { start: /^\(\?<?[=!]/, what: 'lookaround ((?=, (?!, (?<=, (?<!)' },
  { start: /^\\[1-9]/, what: 'a backreference (\\1)' },
  { start: /^\\k</, what: 'a named backreference (\\k<name>)' },
];

/** What is wrong with a content pattern, if anything, as it will be compiled. */
export function contentPatternProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_CONTENT_PATTERN_LENGTH) {
    return `a content pattern may be at most ${MAX_CONTENT_PATTERN_LENGTH} characters, found ${pattern.length}: match a few distinctive words, not a whole text`;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const rest = pattern.slice(i, i + 4);
    if (!inClass) {
      const feature = UNSUPPORTED.find((f) => f.start.test(rest));
      if (feature) {
        return `unsupported in content patterns: ${feature.what} at character ${i + 1} of the pattern; patterns are matched in linear time (RE2 syntax), which has no backreferences or lookaround`;
      }
    }
    const ch = pattern[i];
    if (ch === '\\') i++;
    else if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
  }
  try {
    RE2JS.compile(toRe2Syntax(pattern));
    return undefined;
  } catch (err) {
    if (err instanceof RE2JSException) {
      const e = err as RE2JSException & { error?: string; input?: string | null };
      const at = e.input ? pattern.indexOf(e.input) : -1;
      const where = at >= 0 ? ` at character ${at + 1} of the pattern` : '';
      const what = e.input ? `${e.error ?? 'invalid'} \`${clip(e.input)}\`` : (e.error ?? e.message);
      const hint = e.input?.startsWith('\\u') ? ': write a code point as \\uXXXX (four hex digits), \\u{X…} or \\x{X…}' : '';
      return `not a valid regular expression (RE2 syntax): ${what}${where}${hint}`;
    }
    throw err;
  }
}

/** Compiles a pattern that contentPatternProblem accepted. */
export function compileContentPattern(pattern: string, ignoreCase: boolean): ContentPattern {
  const re = RE2JS.compile(toRe2Syntax(pattern), ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  return {
    test: (text) => re.test(text),
    match: (text) => {
      const m = re.exec(text) as string[] | null;
      return m ? m[0] : undefined;
    },
  };
}

/**
 * JavaScript's code point escapes in RE2's spelling: `\uXXXX` and `\u{X…}` become `\x{X…}` (RE2 has
 * no `\u`), and a surrogate pair `\uD83D\uDE00` one code point. People write patterns the way
 * JavaScript and YAML taught them; the meaning is the same. An escaped backslash stays literal.
 */
export function toRe2Syntax(pattern: string): string {
  if (!pattern.includes('\\u')) return pattern;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const escape = /^\\u(?:([0-9A-Fa-f]{4})|\{([0-9A-Fa-f]{1,6})\})/.exec(pattern.slice(i, i + 10));
    if (!escape) {
      out += pattern.slice(i, i + 2); // any other escape, `\\` included, is kept as it is
      i++;
      continue;
    }
    let code = parseInt(escape[1] ?? escape[2], 16);
    i += escape[0].length - 1;
    const low = escape[1] && code >= 0xd800 && code <= 0xdbff ? /^\\u([Dd][C-Fc-f][0-9A-Fa-f]{2})/.exec(pattern.slice(i + 1, i + 7)) : null;
    if (low) {
      code = 0x10000 + ((code - 0xd800) << 10) + (parseInt(low[1], 16) - 0xdc00);
      i += low[0].length;
    }
    out += `\\x{${code.toString(16).toUpperCase()}}`;
  }
  return out;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
