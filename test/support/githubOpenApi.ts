// GitHub's published REST description (@octokit/openapi, api.github.com) as the GitHub double
// uses it: which operation a request is for, whether the request is one GitHub would accept, and
// whether a response is one GitHub could send. The description is 13 MB: it is read once per
// process, on the first request, and each operation's validators are compiled on its first use.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  'x-multi-segment'?: boolean;
}

export interface Operation {
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/statuses/{sha}`. */
  template: string;
  operationId: string;
  parameters: Parameter[];
  raw: JsonObject;
  regex: RegExp;
  pathParams: string[];
  literalSegments: number;
  validators?: OperationValidators;
}

interface OperationValidators {
  path: ValidateFunction;
  query: ValidateFunction;
  body?: ValidateFunction;
  bodyRequired: boolean;
  responses: Map<string, ValidateFunction | null>;
}

interface Description {
  doc: JsonObject;
  byMethod: Map<string, Operation[]>;
  byId: Map<string, Operation>;
}

let loaded: Description | undefined;

/** Where an npm package's file is, even when its `exports` hide it from require.resolve. */
export function packageFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, pkg, file);
    try {
      readFileSync(path.join(dir, pkg, 'package.json'));
      return candidate;
    } catch {
      // not in this node_modules
    }
  }
  throw new Error(`${pkg} is not installed: run npm ci`);
}

function description(): Description {
  if (loaded) return loaded;
  const doc = JSON.parse(readFileSync(packageFile('@octokit/openapi', 'generated/api.github.com.json'), 'utf8')) as JsonObject;
  const byMethod = new Map<string, Operation[]>();
  const byId = new Map<string, Operation>();
  for (const [template, item] of Object.entries(doc.paths as Record<string, JsonObject>)) {
    const shared = ((item.parameters as Json[] | undefined) ?? []).map((p) => resolve(doc, p) as unknown as Parameter);
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
      const op = raw as JsonObject;
      const own = ((op.parameters as Json[] | undefined) ?? []).map((p) => resolve(doc, p) as unknown as Parameter);
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      const pathParams: string[] = [];
      let literalSegments = 0;
      const pattern = template
        .split('/')
        .map((segment) => {
          const m = /^\{(.+)\}$/.exec(segment);
          if (!m) {
            if (segment) literalSegments++;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          pathParams.push(m[1]);
          const multi = parameters.find((p) => p.in === 'path' && p.name === m[1])?.['x-multi-segment'];
          return multi ? '(.+)' : '([^/]+)';
        })
        .join('/');
      const operation: Operation = {
        method: method.toUpperCase(),
        template,
        operationId: String(op.operationId),
        parameters,
        raw: op,
        regex: new RegExp(`^${pattern}$`),
        pathParams,
        literalSegments,
      };
      const list = byMethod.get(operation.method) ?? [];
      list.push(operation);
      byMethod.set(operation.method, list);
      byId.set(operation.operationId, operation);
    }
  }
  // The most literal template wins: `/pulls/comments` before `/pulls/{pull_number}`.
  for (const list of byMethod.values()) list.sort((a, b) => b.literalSegments - a.literalSegments);
  loaded = { doc, byMethod, byId };
  return loaded;
}

/** Follows a `$ref` to `#/components/...` (parameters, responses, request bodies). */
function resolve(doc: JsonObject, node: Json): Json {
  let current = node;
  while (current && typeof current === 'object' && !Array.isArray(current) && typeof current.$ref === 'string') {
    let target: Json = doc;
    for (const part of current.$ref.slice(2).split('/')) target = (target as JsonObject)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    current = target;
  }
  return current;
}

export interface MatchedOperation {
  operation: Operation;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
}

/** The operation GitHub would run for this method and path (without `/api/v3`), if any. */
export function findOperation(method: string, pathname: string): MatchedOperation | undefined {
  for (const operation of description().byMethod.get(method.toUpperCase()) ?? []) {
    const m = operation.regex.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      operation.pathParams.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      continue;
    }
    return { operation, params };
  }
  return undefined;
}

export function operationById(operationId: string): Operation {
  const op = description().byId.get(operationId);
  if (!op) throw new Error(`GitHub's description has no operation ${operationId}`);
  return op;
}

// ---- schemas: OpenAPI 3.0 → JSON Schema that ajv compiles --------------------------------------

/** Keywords that only annotate: dropped, so a compiled schema stays small. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly', 'xml', 'discriminator', 'nullable']);
const SCHEMA_KEYWORDS = new Set(['items', 'not', 'if', 'then', 'else', 'additionalProperties', 'contains', 'propertyNames']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);

const convertedComponents = new Map<string, { schema: Json; refs: Set<string> }>();

/**
 * One OpenAPI schema as JSON Schema. What the description actually uses: `nullable: true` (3.0;
 * there is no 3.1 `type: [..., 'null']` in it) becomes a type list, or `anyOf` with null where
 * the schema has no type (a nullable `allOf`/`$ref`); `oneOf` with a `discriminator` mapping
 * becomes `anyOf` plus one `if/then` per mapped value, since the branches (e.g. a private and a
 * public user) overlap and plain `oneOf` would refuse a value that fits both.
 */
function convert(node: Json, refs: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => convert(n, refs));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    refs.add(node.$ref);
    return { $ref: node.$ref };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, refs)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convert(v, refs));
    } else if (SCHEMA_KEYWORDS.has(key) && value && typeof value === 'object') {
      out[key] = convert(value, refs);
    } else {
      out[key] = value; // type, required, enum, format, bounds, default: data, copied as is
    }
  }
  const discriminator = node.discriminator as JsonObject | undefined;
  if (discriminator && Array.isArray(out.oneOf)) {
    const property = String(discriminator.propertyName);
    const mapping = (discriminator.mapping ?? {}) as Record<string, string>;
    out.anyOf = out.oneOf;
    delete out.oneOf;
    const clauses = Object.entries(mapping).map(([value, ref]) => {
      refs.add(ref);
      return { if: { properties: { [property]: { const: value } }, required: [property] }, then: { $ref: ref } } as JsonObject;
    });
    if (clauses.length) out.allOf = [...((out.allOf as Json[] | undefined) ?? []), ...clauses];
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function component(doc: JsonObject, ref: string): { schema: Json; refs: Set<string> } {
  let entry = convertedComponents.get(ref);
  if (!entry) {
    const refs = new Set<string>();
    entry = { schema: convert(resolveOnce(doc, ref), refs), refs };
    convertedComponents.set(ref, entry);
  }
  return entry;
}

function resolveOnce(doc: JsonObject, ref: string): Json {
  let target: Json = doc;
  for (const part of ref.slice(2).split('/')) target = (target as JsonObject)[part];
  if (target === undefined) throw new Error(`GitHub's description has no ${ref}`);
  return target;
}

/**
 * A self-contained JSON Schema: the converted root under `allOf`, and every component it reaches
 * under `components/schemas`, where the description's own `#/components/schemas/...` refs point.
 */
export function bundle(root: Json): JsonObject {
  const { doc } = description();
  const refs = new Set<string>();
  const converted = convert(root, refs);
  const schemas: JsonObject = {};
  const pending = [...refs];
  const seen = new Set<string>();
  while (pending.length) {
    const ref = pending.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    if (!ref.startsWith('#/components/schemas/')) throw new Error(`unexpected $ref ${ref}`);
    const entry = component(doc, ref);
    schemas[ref.slice('#/components/schemas/'.length)] = entry.schema;
    pending.push(...entry.refs);
  }
  return { allOf: [converted], components: { schemas } };
}

let ajvInstance: Ajv | undefined;
let paramAjvInstance: Ajv | undefined;

function newAjv(coerceTypes: boolean): Ajv {
  // strict: false: the description carries keywords ajv does not know (they only annotate).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes, addUsedSchema: false });
  addFormats(ajv);
  ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  ajv.addFormat('timestamp', true);
  return ajv;
}

function ajv(): Ajv {
  return (ajvInstance ??= newAjv(false));
}

/** Query and path values arrive as strings: `per_page=100` is checked as the integer it means. */
function paramAjv(): Ajv {
  return (paramAjvInstance ??= newAjv(true));
}

function validators(operation: Operation): OperationValidators {
  if (operation.validators) return operation.validators;
  const { doc } = description();
  const paramSchema = (where: 'path' | 'query', additional: boolean) => {
    const list = operation.parameters.filter((p) => p.in === where);
    return paramAjv().compile(
      bundle({
        type: 'object',
        properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}])),
        required: list.filter((p) => p.required).map((p) => p.name),
        additionalProperties: additional,
      }),
    );
  };
  const requestBody = operation.raw.requestBody ? (resolve(doc, operation.raw.requestBody) as JsonObject) : undefined;
  const bodySchema = ((requestBody?.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined)?.schema;
  operation.validators = {
    path: paramSchema('path', false),
    // GitHub ignores query parameters it does not know; the double does not, so that a typo in
    // the client (`checkName` for `check_name`) fails a test instead of silently filtering nothing.
    query: paramSchema('query', false),
    body: bodySchema ? ajv().compile(bundle(bodySchema)) : undefined,
    bodyRequired: requestBody?.required === true,
    responses: new Map(),
  };
  return operation.validators;
}

function describeErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).slice(0, 10).map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** What is wrong with a request for this operation; [] when GitHub would take it. */
export function checkRequest(operation: Operation, params: Record<string, string>, query: URLSearchParams, body: { present: boolean; value?: unknown; parseError?: string }): string[] {
  const v = validators(operation);
  const problems: string[] = [];
  const pathValues: Record<string, unknown> = { ...params };
  if (!v.path(pathValues)) problems.push(...describeErrors(v.path.errors, 'path'));
  const queryValues: Record<string, unknown> = {};
  for (const [key, value] of query) queryValues[key] = value;
  if (!v.query(queryValues)) problems.push(...describeErrors(v.query.errors, 'query'));
  if (body.parseError) problems.push(`body is not JSON: ${body.parseError}`);
  else if (!body.present) {
    if (v.bodyRequired) problems.push('body is required');
  } else if (!v.body) {
    problems.push(`${operation.operationId} takes no body`);
  } else if (!v.body(body.value)) {
    problems.push(...describeErrors(v.body.errors, 'body'));
  }
  return problems;
}

/** The documented response for a status, following `#/components/responses/...`. */
function documentedResponse(operation: Operation, status: number): JsonObject | undefined {
  const responses = operation.raw.responses as JsonObject;
  const entry = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  return entry === undefined ? undefined : (resolve(description().doc, entry) as JsonObject);
}

export function responseSchemaFor(operation: Operation, status: number): JsonObject | undefined {
  const documented = documentedResponse(operation, status);
  const schema = ((documented?.content as JsonObject | undefined)?.['application/json'] as JsonObject | undefined)?.schema;
  return schema === undefined ? undefined : bundle(schema);
}

/** A schema of the description by name (e.g. `simple-user`), bundled. */
export function componentSchema(name: string): JsonObject {
  return bundle({ $ref: `#/components/schemas/${name}` });
}

const ERROR_SHAPE: JsonObject = { type: 'object', required: ['message'], properties: { message: { type: 'string' }, documentation_url: { type: 'string' } } };

/** What is wrong with a response this operation sent; [] when GitHub could have sent it. */
export function checkResponse(operation: Operation, status: number, body: unknown): string[] {
  const v = validators(operation);
  const documented = documentedResponse(operation, status);
  if (!documented) {
    // GitHub documents few of its error statuses per operation (create-commit-status documents
    // none, yet answers 422); an error body is still checked for GitHub's error shape.
    if (status >= 400) {
      const check = v.responses.get('error') ?? ajv().compile(ERROR_SHAPE);
      v.responses.set('error', check);
      return check(body) ? [] : describeErrors(check.errors, `${status} body`);
    }
    return [`${operation.operationId} does not answer ${status} in GitHub's description`];
  }
  const key = String(status);
  let check = v.responses.get(key);
  if (check === undefined) {
    const schema = responseSchemaFor(operation, status);
    check = schema ? ajv().compile(schema) : null;
    v.responses.set(key, check);
  }
  if (check === null) {
    if (status < 300 && body !== undefined) return [`${operation.operationId} answers ${status} with no body`];
    return [];
  }
  return check(body) ? [] : describeErrors(check.errors, `${status} body`);
}

// ---- completing a response body ------------------------------------------------------------------

/** Supplies a value for a required field a builder left out, by the field's name and schema. */
export type FieldHint = (name: string, schema: JsonObject) => Json | undefined;

/**
 * Adds to `value` every required field its schema asks for and the builder did not set, so that
 * the double's builders name only what a test can observe (a pull request's head, a status's
 * creator) and not the ninety URL templates of a repository. The fields it invents are the
 * emptiest the schema allows (null where it may be null); the body is validated afterwards all
 * the same, so a builder's own mistakes still fail.
 */
export function completeFromSchema(bundled: JsonObject, value: Json | undefined, hint: FieldHint): Json {
  const schemas = ((bundled.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  const deref = (schema: JsonObject, depth: number): JsonObject => {
    let current = schema;
    for (let i = 0; typeof current.$ref === 'string' && i < 20; i++) current = schemas[current.$ref.slice('#/components/schemas/'.length)] as JsonObject;
    if (depth > 40) throw new Error('schema nests too deep to complete');
    return current;
  };
  const complete = (raw: JsonObject, given: Json | undefined, name: string, depth: number): Json => {
    const schema = deref(raw, depth);
    if (Array.isArray(schema.allOf)) {
      let merged: Json | undefined = given;
      for (const part of schema.allOf as JsonObject[]) merged = complete(part, merged, name, depth + 1);
      const rest = { ...schema };
      delete rest.allOf;
      delete rest.components;
      return Object.keys(rest).length ? complete(rest, merged, name, depth + 1) : (merged ?? null);
    }
    const alternatives = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
    if (alternatives) {
      if (given === undefined) {
        if (alternatives.some((a) => a.type === 'null')) return null;
        return complete(alternatives[0], undefined, name, depth + 1);
      }
      if (given === null || typeof given !== 'object') return given;
      // The first alternative of an object's kind: enough for the unions GitHub's bodies carry.
      const fits = alternatives.find((a) => {
        const d = deref(a, depth + 1);
        return d.type === 'object' || d.properties !== undefined || d.allOf !== undefined;
      });
      return fits ? complete(fits, given, name, depth + 1) : given;
    }
    if (given !== undefined) {
      if (Array.isArray(given) && schema.items) return given.map((item) => complete(schema.items as JsonObject, item, name, depth + 1));
      if (given && typeof given === 'object' && !Array.isArray(given) && schema.properties) {
        const out: JsonObject = { ...given };
        const properties = schema.properties as Record<string, JsonObject>;
        for (const key of (schema.required as string[] | undefined) ?? []) {
          if (!(key in out)) out[key] = hint(key, deref(properties[key] ?? {}, depth + 1)) ?? complete(properties[key] ?? {}, undefined, key, depth + 1);
        }
        for (const [key, v] of Object.entries(out)) if (properties[key] && v !== null) out[key] = complete(properties[key], v, key, depth + 1);
        return out;
      }
      return given;
    }
    const hinted = hint(name, schema);
    if (hinted !== undefined) return hinted;
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum)) return schema.enum.includes(null) ? null : schema.enum[0];
    const type = Array.isArray(schema.type) ? (schema.type.includes('null') ? 'null' : schema.type[0]) : schema.type;
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return false;
      case 'integer':
      case 'number':
        return typeof schema.minimum === 'number' ? schema.minimum : 0;
      case 'array':
        return [];
      case 'string':
        if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
        if (schema.format === 'date') return '2026-01-01';
        if (schema.format === 'email') return 'noreply@example.com';
        if (schema.format === 'uri') return 'https://example.com/';
        return '';
      default:
        return complete({ ...schema, type: 'object', properties: schema.properties ?? {} }, {}, name, depth + 1);
    }
  };
  return complete(bundled, value, '', 0);
}
