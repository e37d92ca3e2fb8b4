// Owns turning policy text into a validated Policy: YAML (and so JSON) parsing, `extends` of a
// preset, schema validation, and errors that name file, line, column, key, what was expected and
// what was found.
import { LineCounter, parseDocument, isCollection, isMap, isPair, isSeq, isScalar, visit, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ChangeControlError, type PolicyProblem } from '../errors';
import { own, setOwn } from '../own';
import { CHECKLIST_KINDS, clipText, closest, LEGACY_NOTIFY_KEYS, LIMITS, looksLikeUrl, POLICY_VERSION, PolicySchema, urlInPolicyMessage } from './schema';
import { PRESETS, PRESET_NAMES, isPresetName } from './presets';
import { orderPolicyProblems, summarizePolicyProblems } from './problems';
import { DEFAULT_PRESET, readPolicyFile, type LoadedPolicy, type LoadPolicyOptions, type PolicySource } from './source';

export { DEFAULT_PRESET, POLICY_FILES, readPolicyFile, type LoadedPolicy, type LoadPolicyOptions, type PolicySource } from './source';


/** Finds and loads the repository's policy: explicit preset, explicit file, the repo's file, or the default preset. */
export async function loadPolicy(options: LoadPolicyOptions): Promise<LoadedPolicy> {
  if (options.preset !== undefined) {
    const loaded = loadPreset(options.preset);
    return { ...loaded, source: { ...loaded.source, chosen: true } as PolicySource };
  }
  const found = await readPolicyFile(options.workTree, options.policyPath);
  return found ? parsePolicyText(found.text, found.file) : loadPreset(DEFAULT_PRESET);
}

export function loadPreset(name: string): LoadedPolicy {
  if (!isPresetName(name)) {
    const hint = closest(name, PRESET_NAMES);
    throw new ChangeControlError(
      'POLICY_PRESET_UNKNOWN',
      `Unknown preset "${name}".${hint ? ` Did you mean "${hint}"?` : ''} Presets: ${PRESET_NAMES.join(', ')}.`,
    );
  }
  const { policy } = parsePolicyText(PRESETS[name], `preset:${name}`);
  return { policy, source: { kind: 'preset', name } };
}

/**
 * Parses and validates policy text. Throws a ChangeControlError listing every problem found, in
 * the order of orderPolicyProblems, each once: the version first; a version this build does not
 * read (a number other than 1) alone, since the rest of the file was written for that version.
 */
export function parsePolicyText(text: string, fileName: string): LoadedPolicy {
  const lineCounter = new LineCounter();
  // YAML breaks lines at CR too (classic Mac files); the library only at LF and CRLF. One character
  // for one, so every position stays the same.
  const lines = text.replace(/\r(?!\n)/g, '\n');
  // `logLevel: 'error'`: the library never writes warnings to stderr; what matters is reported below.
  const doc = parseDocument(lines, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2', logLevel: 'error' });
  const position = (offset: number | undefined) => {
    if (offset === undefined) return { line: 0, column: 0 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  // Nesting the parser itself could not follow (its stack ran out) is the same problem as nesting past the limit.
  const tooDeep = doc.errors.find((e) => /call stack/i.test(e.message));
  const deepest = tooDeep ? { offset: tooDeep.pos[0] } : doc.errors.length === 0 ? nestedTooDeeply(doc) : undefined;
  if (deepest) {
    throw policyError('POLICY_SYNTAX', [{ file: fileName, ...position(deepest.offset), key: '', message: `nested too deeply (limit ${LIMITS.nesting} levels of lists and mappings): a policy needs only a few` }]);
  }
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ file: fileName, ...position(e.pos[0]), key: '', message: yamlMessage(e.code, e.message) }));
    throw policyError('POLICY_SYNTAX', problems);
  }
  const structural = structureProblems(doc);
  if (structural.length > 0) {
    throw policyError('POLICY_SYNTAX', structural.map((p) => ({ file: fileName, ...position(p.offset), key: '', message: p.message })));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // Aliases that expand past the limit (a "billion laughs"): at the first alias, since the whole of them is the problem.
    const first = firstAlias(doc);
    throw policyError('POLICY_SYNTAX', [
      {
        file: fileName,
        ...position(first?.range?.[0] ?? doc.contents?.range?.[0] ?? 0),
        key: '',
        message: /alias count/i.test((err as Error).message)
          ? `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} aliased copies): write the values out, or use fewer aliases`
          : `YAML could not be read: ${(err as Error).message}`,
      },
    ]);
  }
  if (data === null || data === undefined) {
    throw policyError('POLICY_INVALID', [
      { file: fileName, line: 1, column: 1, key: '', message: 'the file is empty: expected a policy starting with `version: 1` (run `change-control init` for a commented example)' },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw policyError('POLICY_INVALID', [
      { file: fileName, ...position(doc.contents?.range?.[0]), key: '', message: `expected a mapping of keys such as \`version: 1\` and \`levels:\`, found ${describeValue(data)}` },
    ]);
  }

  const record = data as Record<string, unknown>;
  const extendsName = record.extends;
  const presetName = typeof extendsName === 'string' && isPresetName(extendsName) ? extendsName : undefined;
  // A preset in `extends` brings `version: 1` with it (a misspelt one is its own problem, below).
  const version = versionProblem(record.version === undefined && typeof extendsName === 'string' ? POLICY_VERSION : record.version, () =>
    position((nodeAt(doc, ['version']) ?? (doc.contents as YamlNode | null))?.range?.[0]),
  );
  const versionProblems = version ? [{ file: fileName, ...version.at, key: 'version', message: version.message }] : [];
  if (version?.alone) throw policyError('POLICY_INVALID', versionProblems);

  let merged: unknown = data;
  if (typeof extendsName === 'string') {
    if (!presetName) {
      const hint = closest(extendsName, PRESET_NAMES);
      throw policyError('POLICY_INVALID', [
        ...versionProblems,
        {
          file: fileName,
          ...position(nodeAt(doc, ['extends'])?.range?.[0]),
          key: 'extends',
          message: `expected one of ${PRESET_NAMES.join(', ')}, found "${clipText(extendsName)}"${hint ? `. Did you mean "${hint}"?` : ''}`,
        },
      ]);
    }
    const base = parseDocument(PRESETS[presetName]).toJS() as Record<string, unknown>;
    merged = mergePolicy(base, record);
  }

  const result = PolicySchema.safeParse(merged);
  if (!result.success || versionProblems.length) {
    // The version has its own problem above; each unknown key is a problem at its own position.
    const issues = (result.error?.issues ?? [])
      .filter((issue) => !(issue.path.length === 1 && issue.path[0] === 'version'))
      .flatMap((issue) => (issue.code === 'unrecognized_keys' && issue.keys.length > 1 ? issue.keys.map((k) => ({ ...issue, keys: [k] })) : [issue]));
    const typos = typoTargets(issues, merged);
    for (const p of urlTargetsMissingKeys(merged)) typos.add(p);
    const problems = issues
      // A missing key that an unknown sibling was probably meant to be: the typo is the one problem.
      .filter((issue) => !typos.has(pathKey(issue.path)) || valueAt(merged, plainPath(issue.path)) !== undefined)
      .map((issue) => {
        const path = plainPath(issue.path);
        const { node, key: keyNode } = locate(doc, path, issue);
        return {
          problem: {
            file: fileName,
            ...position((keyNode ?? node)?.range?.[0]),
            key: (issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path).join('.'),
            message: issueMessage(issue, path, merged, presetName === undefined),
          },
          rank: SPECIFICITY[issue.code] ?? 1,
        };
      });
    throw policyError('POLICY_INVALID', [...versionProblems, ...mostSpecificPerKey(problems)]);
  }
  const baseNode = nodeAt(doc, ['base']);
  const baseAt = baseNode?.range ? { file: fileName, ...position(baseNode.range[0]) } : undefined;
  return { policy: result.data, source: { kind: 'file', path: fileName }, ...(baseAt ? { baseAt } : {}) };
}

/** The first node nested deeper than LIMITS.nesting lists and mappings, walked without recursion. */
function nestedTooDeeply(doc: Document): { offset: number | undefined } | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth + 1 > LIMITS.nesting) return { offset: node.range?.[0] };
    for (const item of node.items as unknown[]) {
      if (isPair(item)) stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Aliased copies a policy may make (YAML's `*name`); past this, a small file could expand to gigabytes. */
const MAX_ALIAS_COUNT = 100;

/** What the YAML library accepts but a policy cannot hold: aliases to no anchor, keys that are lists or mappings. */
function structureProblems(doc: Document): { offset: number | undefined; message: string }[] {
  const out: { offset: number | undefined; message: string }[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) {
        out.push({ offset: alias.range?.[0], message: `YAML alias "*${clipText(alias.source)}" names no anchor: define "&${clipText(alias.source)}" before it, or write the value out` });
      }
    },
    Pair(_, pair) {
      if (isCollection(pair.key)) out.push({ offset: pair.key.range?.[0], message: 'a key must be a plain text such as `zones`, not a list or a mapping' });
    },
  });
  return out;
}

function firstAlias(doc: Document): YamlNode | undefined {
  let found: YamlNode | undefined;
  visit(doc, {
    Alias(_, alias) {
      found = alias;
      return visit.BREAK;
    },
  });
  return found;
}

function policyError(code: 'POLICY_SYNTAX' | 'POLICY_INVALID', problems: PolicyProblem[]): ChangeControlError {
  const ordered = orderPolicyProblems(problems);
  return new ChangeControlError(code, summarizePolicyProblems(ordered), ordered);
}

/**
 * What is wrong with the policy's `version`, if anything. A number other than 1 is a policy for
 * another version of Change Control: reported alone. Missing, or not a number (`"1"`), is most
 * likely a version 1 policy: reported first, and the rest is still checked.
 */
function versionProblem(found: unknown, at: () => { line: number; column: number }): { at: { line: number; column: number }; message: string; alone: boolean } | undefined {
  if (found === POLICY_VERSION) return undefined;
  const v = POLICY_VERSION;
  if (typeof found === 'number') {
    const fix = found > v ? `this build reads policy version ${v}; upgrade Change Control or set version: ${v}` : `policy version ${v} is the only version; set version: ${v}`;
    return { at: at(), alone: true, message: `expected ${v}, found number ${found}: ${fix} (the rest of the file was not checked)` };
  }
  if (found === undefined || found === null) return { at: at(), alone: false, message: `missing: expected \`version: ${v}\` (the policy format) at the top of the file` };
  if (typeof found === 'string' && found.trim() === String(v)) return { at: at(), alone: false, message: `expected the number ${v}, found "${found}": write version: ${v} without quotes` };
  return { at: at(), alone: false, message: `expected ${v}, found ${describeValue(found)}: set version: ${v}` };
}

type Issue = z.core.$ZodIssue;

function plainPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.filter((p): p is string | number => typeof p !== 'symbol');
}

function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(plainPath(path));
}

/** The paths of keys that an unknown key next to them is a typo of (by did-you-mean). */
function typoTargets(issues: readonly Issue[], data: unknown): Set<string> {
  const out = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = plainPath(issue.path);
    const known = knownKeys(path, data);
    for (const k of issue.keys) {
      const meant = closest(k, known);
      if (meant !== undefined) out.add(pathKey([...path, meant]));
    }
  }
  return out;
}

/** How specific an issue's message is, lower is more: a refinement says the whole problem, a bare type the least. */
const SPECIFICITY: Partial<Record<Issue['code'], number>> = { custom: 0, invalid_union: 2, invalid_type: 3 };

/** One problem per key: when checks of one value report several, the most specific one. */
function mostSpecificPerKey(problems: readonly { problem: PolicyProblem; rank: number }[]): PolicyProblem[] {
  const best = new Map<string, { problem: PolicyProblem; rank: number }>();
  for (const p of problems) {
    const id = `${p.problem.key}\u0000${p.problem.line}:${p.problem.column}`;
    const prev = best.get(id);
    if (!prev || p.rank < prev.rank) best.set(id, p);
  }
  return [...best.values()].map((p) => p.problem);
}

/** Objects merge key by key, arrays and scalars replace, `null` removes what the preset had. */
export function mergePolicy(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // Own entries only, and set as such: a key `__proto__` or `constructor` is a key like any other.
    const prev = own(out, key);
    if (value === null) delete out[key];
    else setOwn(out, key, isPlainObject(prev) && isPlainObject(value) ? mergePolicy(prev, value) : value);
  }
  delete out.extends;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nodeAt(doc: Document, path: readonly (string | number)[]): YamlNode | undefined {
  const node = doc.getIn(path, true);
  return node && typeof node === 'object' && 'range' in (node as object) ? (node as YamlNode) : undefined;
}

/** The deepest node of the path that exists in the document, and for unknown keys the key itself. */
function locate(doc: Document, path: readonly (string | number)[], issue: z.core.$ZodIssue): { node?: YamlNode; key?: YamlNode } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? (doc.contents as YamlNode | null) ?? undefined : nodeAt(doc, path.slice(0, n));
    if (!node) continue;
    if (n === path.length && issue.code === 'unrecognized_keys' && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && issue.keys.includes(String(p.key.value)));
      if (pair && isScalar(pair.key)) return { node, key: pair.key };
    }
    // For a missing key, point at the key of the mapping that should hold it.
    if (n < path.length && n > 0) {
      const parent = n === 1 ? (doc.contents as YamlNode | null) : nodeAt(doc, path.slice(0, n - 1));
      if (parent && isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[n - 1]));
        if (pair && isScalar(pair.key)) return { node, key: pair.key };
      }
      if (parent && isSeq(parent)) return { node };
    }
    return { node };
  }
  return {};
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 60 ? `${v.slice(0, 57)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
  int: 'a whole number',
};

/** Top-level sections a preset provides: when one is missing, `extends` is the quickest fix. */
const PRESET_SECTIONS: Record<string, string> = { levels: 'a list of levels' };

/**
 * Notify targets that hold a URL or the old `to:` destination: their missing `kind` and `secret`
 * are what that one problem's message asks for, not problems of their own.
 */
function urlTargetsMissingKeys(data: unknown): string[] {
  const notify = valueAt(data, ['notify']);
  if (!isPlainObject(notify)) return [];
  return Object.entries(notify)
    .filter(([, target]) => isPlainObject(target) && Object.entries(target).some(([k, v]) => isLegacyNotifyKey(k) || looksLikeUrl(v)))
    .flatMap(([id]) => [pathKey(['notify', id, 'kind']), pathKey(['notify', id, 'secret'])]);
}

function isLegacyNotifyKey(key: string): boolean {
  return (LEGACY_NOTIFY_KEYS as readonly string[]).includes(key);
}

/**
 * A webhook URL (or the old `to:` destination) anywhere in a notify target: one message saying
 * where it goes instead, which never repeats the URL (error output ends up in CI logs).
 */
function urlInNotifyTarget(issue: z.core.$ZodIssue, path: readonly (string | number)[], data: unknown): string | undefined {
  // The schema's own refinements (a URL as a title) already say what to do.
  if (path[0] !== 'notify' || typeof path[1] !== 'string' || issue.code === 'custom') return undefined;
  const secret = valueAt(data, ['notify', path[1], 'secret']);
  if (issue.code === 'unrecognized_keys') {
    if (path.length !== 2 || issue.keys.length !== 1) return undefined;
    const key = issue.keys[0];
    if (looksLikeUrl(valueAt(data, [...path, key]))) return urlInPolicyMessage(path[1], { secret });
    return isLegacyNotifyKey(key) ? urlInPolicyMessage(path[1], { secret, legacyKey: key }) : undefined;
  }
  return looksLikeUrl(valueAt(data, path)) ? urlInPolicyMessage(path[1], { secret: path[2] === 'secret' ? undefined : secret }) : undefined;
}

function issueMessage(issue: z.core.$ZodIssue, path: readonly (string | number)[], data: unknown, suggestPreset: boolean): string {
  const found = valueAt(data, path);
  const secret = urlInNotifyTarget(issue, path, data);
  if (secret) return secret;
  switch (issue.code) {
    case 'invalid_type': {
      if (found === undefined && path.length === 1 && PRESET_SECTIONS[path[0]] !== undefined) {
        return `missing: expected ${PRESET_SECTIONS[path[0]]}${suggestPreset ? ` — or start from a preset with "extends: ${DEFAULT_PRESET}"` : ''}`;
      }
      if (found === undefined) return `missing: expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, found ${describeValue(found)}`;
    }
    case 'unrecognized_keys': {
      const known = knownKeys(path, data);
      return issue.keys
        .map((k) => {
          const hint = closest(k, known);
          return `unknown key "${clipText(k)}"${hint ? `. Did you mean "${hint}"?` : known.length ? `. Expected one of: ${known.join(', ')}` : ''}`;
        })
        .join('; ');
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const hint = typeof found === 'string' ? closest(found, options) : undefined;
      return `expected ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}, found ${describeValue(found)}${hint ? `. Did you mean "${hint}"?` : ''}`;
    }
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc) {
        const kind = path[path.length - 1] === disc ? found : valueAt(found, [disc]);
        const hint = typeof kind === 'string' ? closest(kind, KIND_NAMES) : undefined;
        return `expected "${disc}" to be one of ${KIND_NAMES.join(', ')}, found ${describeValue(kind)}${hint ? `. Did you mean "${hint}"?` : ''}`;
      }
      return `expected ${describeUnion(issue)}, found ${describeValue(found)}`;
    }
    case 'too_small': {
      if (issue.origin === 'array') return `expected at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}${issue.message && !issue.message.startsWith('Too small') ? ` (${issue.message})` : ''}, found ${Array.isArray(found) ? found.length : describeValue(found)}`;
      if (issue.origin === 'string') return `expected ${issue.message && !issue.message.startsWith('Too small') ? issue.message : 'a non-empty text'}, found ${describeValue(found)}`;
      return `expected at least ${issue.minimum}, found ${describeValue(found)}`;
    }
    case 'too_big':
      if (issue.origin === 'string' && typeof found === 'string') return `expected at most ${issue.maximum} characters, found ${found.length}`;
      if (issue.origin === 'array' && Array.isArray(found)) return `expected at most ${issue.maximum} entries, found ${found.length}`;
      if (issue.origin === 'record' && isPlainObject(found)) return `expected at most ${issue.maximum} entries, found ${Object.keys(found).length}`;
      return `expected at most ${issue.maximum}, found ${describeValue(found)}`;
    case 'invalid_format':
      return `expected ${issue.message && !issue.message.startsWith('Invalid') ? issue.message : issue.format}, found ${describeValue(found)}`;
    case 'not_multiple_of':
      return `expected a whole number, found ${describeValue(found)}`;
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`.replace('Invalid string: must match pattern /^[a-z][a-z0-9_-]*$/', 'expected an id (lowercase letters, digits, "-" or "_")');
    case 'custom':
      // Refinements either describe the expected value ("a date such as …") or say the whole problem.
      return /^an? /.test(issue.message) ? `expected ${issue.message}, found ${describeValue(found)}` : issue.message;
    default:
      return issue.message;
  }
}

/** Every alternative of a union once: its listed values, then the types it takes. */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const values = new Set<string>();
  const types = new Set<string>();
  for (const branch of issue.errors) {
    for (const sub of branch) {
      if (sub.path.length > 0) continue;
      if (sub.code === 'invalid_type') types.add(TYPE_WORDS[sub.expected] ?? sub.expected);
      else if (sub.code === 'invalid_value') for (const v of sub.values) values.add(typeof v === 'string' ? v : JSON.stringify(v));
    }
  }
  const parts = [...(values.size ? [values.size === 1 ? [...values][0] : `one of ${[...values].join(', ')}`] : []), ...types];
  return parts.length ? parts.join(' or ') : 'another value';
}

const KIND_NAMES: string[] = [...CHECKLIST_KINDS];

/** The keys the schema allows at a path, for did-you-mean on unknown keys. */
function knownKeys(path: readonly (string | number)[], data: unknown): string[] {
  let schema: unknown = PolicySchema;
  for (let i = 0; i <= path.length; i++) {
    schema = unwrap(schema, valueAt(data, path.slice(0, i)));
    if (i === path.length) break;
    const def = defOf(schema);
    if (!def) return [];
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[String(path[i])];
    else if (def.type === 'record') schema = def.valueType;
    else if (def.type === 'array') schema = def.element;
    else return [];
  }
  const def = defOf(schema);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

type Def = { type: string; [k: string]: unknown };
function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

function unwrap(schema: unknown, value: unknown): unknown {
  for (;;) {
    const def = defOf(schema);
    if (!def) return schema;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'union' && typeof def.discriminator === 'string') {
      const kind = valueAt(value, [def.discriminator]);
      const match = (def.options as unknown[]).find((o) => {
        const shape = defOf(o)?.shape as Record<string, unknown> | undefined;
        const lit = defOf(shape?.[def.discriminator as string]);
        return (lit?.values as unknown[] | undefined)?.includes(kind);
      });
      if (!match) return undefined;
      schema = match;
    } else return schema;
  }
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return `${first}: each key may appear once in a mapping`;
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML: indent with spaces';
  return `YAML syntax error: ${first}`;
}
