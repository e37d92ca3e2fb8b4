// Completion in the policy file from the engine's JSON Schema (dist/policy.schema.json), for
// editors without a YAML language server: which keys may follow at the cursor, and which values a
// key takes (enums, kinds, booleans, the policy's own level ids). Reads block-style YAML by
// indentation; pure, no `vscode`.

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  then?: SchemaNode;
  default?: unknown;
}

export interface PolicyCompletion {
  label: string;
  kind: 'property' | 'value';
  insertText: string;
  documentation?: string;
}

const KEY_LINE = /^(\s*)(- )?([A-Za-z0-9_$-]+):(?:\s|$)/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function meaningful(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && !t.startsWith('#');
}

/** The key path of the mapping the cursor is in, e.g. `['zones', 'auth']` or `['levels', '[]']`. */
export function pathAt(lines: readonly string[], line: number, indent: number, startsItem: boolean): string[] {
  const path: string[] = startsItem ? ['[]'] : [];
  let limit = indent;
  for (let i = line - 1; i >= 0 && limit > 0; i--) {
    const text = lines[i];
    if (!meaningful(text)) continue;
    const ind = indentOf(text);
    if (ind >= limit) continue;
    const key = KEY_LINE.exec(text);
    const dash = /^\s*- /.test(text);
    if (dash && limit >= ind + 2) {
      // Inside an array item that starts on this line: its first key is a sibling, not a parent.
      path.unshift('[]');
      limit = ind;
    } else if (key && !key[2]) {
      path.unshift(key[3]);
      limit = ind;
    } else {
      limit = ind;
    }
  }
  return path;
}

/** Every property an object schema (or any of its alternatives) allows. */
export function propertiesOf(node: SchemaNode | undefined): Record<string, SchemaNode> {
  if (!node) return {};
  const out: Record<string, SchemaNode> = { ...(node.properties ?? {}) };
  for (const alt of [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? []), ...(node.then ? [node.then] : [])]) {
    for (const [k, v] of Object.entries(propertiesOf(alt))) if (!(k in out)) out[k] = v;
  }
  return out;
}

export function schemaAt(root: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const part of path) {
    if (!node) return undefined;
    if (part === '[]') {
      node = node.items ?? alternatives(node).find((a) => a.items)?.items;
      continue;
    }
    const props = propertiesOf(node);
    if (props[part]) node = props[part];
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return undefined;
  }
  return node;
}

function alternatives(node: SchemaNode): SchemaNode[] {
  return [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])];
}

/** Values a property schema takes: enums, constants (across alternatives), booleans. */
function valuesOf(node: SchemaNode, property: string, alternativesOfParent: SchemaNode[]): string[] {
  const values = new Set<string>();
  const add = (n: SchemaNode | undefined) => {
    if (!n) return;
    for (const e of n.enum ?? []) values.add(String(e));
    if (n.const !== undefined) values.add(String(n.const));
    const types = Array.isArray(n.type) ? n.type : [n.type];
    if (types.includes('boolean')) {
      values.add('true');
      values.add('false');
    }
    for (const a of alternatives(n)) add(a);
  };
  add(node);
  // A discriminator (`kind`) takes the constant of every alternative of its object.
  for (const alt of alternativesOfParent) add(alt.properties?.[property]);
  return [...values];
}

/** Ids of the policy's levels, for `level:` values. */
function levelIds(lines: readonly string[]): string[] {
  const ids: string[] = [];
  let inLevels = false;
  for (const text of lines) {
    if (/^levels:/.test(text)) inLevels = true;
    else if (/^\S/.test(text) && meaningful(text)) inLevels = false;
    const m = inLevels ? /^\s*- id:\s*["']?([a-z][a-z0-9_-]*)/.exec(text) : null;
    if (m) ids.push(m[1]);
  }
  return ids;
}

/** Keys already present in the mapping the cursor is in (not offered again). */
function siblingKeys(lines: readonly string[], line: number, indent: number, startsItem: boolean): Set<string> {
  const keys = new Set<string>();
  const scan = (from: number, step: 1 | -1) => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const text = lines[i];
      if (!meaningful(text)) continue;
      const dashLine = /^\s*- /.test(text);
      const contentIndent = indentOf(text) + (dashLine ? 2 : 0);
      if (contentIndent < indent) break;
      if (contentIndent > indent) continue;
      // An item start at our indent: upwards it is our item's first line; downwards the next item.
      if (dashLine && step === 1) break;
      const key = KEY_LINE.exec(text);
      if (key) keys.add(key[3]);
      if (dashLine) break;
    }
  };
  if (!startsItem) scan(line - 1, -1);
  scan(line + 1, 1);
  return keys;
}

export function completionsAt(schema: SchemaNode, lines: readonly string[], line: number, column: number): PolicyCompletion[] {
  const before = lines[line].slice(0, column);
  const valueMatch = /^(\s*)(- )?([A-Za-z0-9_$-]+):\s+\S*$|^(\s*)(- )?([A-Za-z0-9_$-]+):$/.exec(before);
  const keyMatch = /^(\s*)(- )?([A-Za-z0-9_$-]*)$/.exec(before);
  if (valueMatch) {
    const lead = valueMatch[1] ?? valueMatch[4];
    const dash = valueMatch[2] ?? valueMatch[5];
    const key = valueMatch[3] ?? valueMatch[6];
    const parent = schemaAt(schema, pathAt(lines, line, lead.length, Boolean(dash)));
    const node = propertiesOf(parent)[key];
    if (!parent || !node) return [];
    const values = key === 'level' ? levelIds(lines) : valuesOf(node, key, alternatives(parent));
    return values.map((v) => ({ label: v, kind: 'value', insertText: v, documentation: node.description }));
  }
  if (keyMatch) {
    const lead = keyMatch[1];
    const dash = keyMatch[2];
    const indent = lead.length + (dash ? 2 : 0);
    const parent = schemaAt(schema, pathAt(lines, line, lead.length, Boolean(dash)));
    if (!parent) return [];
    const present = siblingKeys(lines, line, indent, Boolean(dash));
    return Object.entries(propertiesOf(parent))
      .filter(([k]) => !present.has(k) && k !== '$schema')
      .map(([k, v]) => ({ label: k, kind: 'property', insertText: `${k}: `, documentation: v.description }));
  }
  return [];
}
