import fc from 'fast-check';
import type { z } from 'zod';
import { pathParams } from '../../server/http/restOperations.js';
import { fromZod, type Hints } from './arbitrary.js';
import { badPathParam, bogusAuthorization, deepJson, deepPlaceholder, serialise, nastyString, oddContentType, prototypePollution, replaceStrings, withField } from './hostile.js';

/** One request the fuzzer sends and checks. */
export interface FuzzRequest {
  /** The route or procedure it exercises (`REST POST /api/clients`, `tRPC clients.create`, `route GET /healthz`). */
  surface: string;
  variant: Variant;
  /** Whose credentials it carries (partner A's admin or technician, the dev operator, none, or garbage). */
  caller: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export const variants = ['valid', 'forged', 'wrong-types', 'unicode', 'deep', 'proto', 'big', 'bad-params', 'headers', 'raw'] as const;
export type Variant = (typeof variants)[number] | 'megabyte' | 'method';
const weighted = fc.oneof(
  { arbitrary: fc.constant<Variant>('valid'), weight: 5 },
  { arbitrary: fc.constant<Variant>('forged'), weight: 2 },
  { arbitrary: fc.constant<Variant>('wrong-types'), weight: 3 },
  ...(['unicode', 'deep', 'proto', 'big', 'bad-params', 'headers', 'raw'] as const).map((v) => ({ arbitrary: fc.constant<Variant>(v), weight: 1 })),
);

/** Who may call: the fuzzer's own partner (A) in both roles, the dev operator, nobody. */
export type CallerAuth = Record<'none' | 'admin' | 'tech' | 'dev', string | undefined>;

/** What every case draws besides its input; one record so a case is one fast-check value. */
const extras = fc.record({
  anything: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
  key: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('partnerId', 'partner_id', 'id', 'key', 'role', 'isDev')),
  nasty: fc.array(nastyString, { minLength: 1, maxLength: 4 }),
  depth: fc.integer({ min: 64, max: 6_000 }),
  arrays: fc.boolean(),
  bigLength: fc.integer({ min: 100_000, max: 240_000 }),
  param: badPathParam,
  contentType: oddContentType,
  auth: bogusAuthorization,
  raw: fc.oneof(fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '1', 'true', '{"a":1}{', '\u0000', '{"__proto__":null}', ''), fc.string({ maxLength: 200 })),
});
type Extras = typeof extras extends fc.Arbitrary<infer T> ? T : never;

export interface Forgery {
  /** Partner B's id and the ids of its rows, put where A's would go. */
  partnerId: number;
  ids: number[];
  strings: string[];
}

/** The input after the variant: a value to serialise, or raw body text, plus header changes. */
interface Shaped {
  input: unknown;
  raw?: string;
  headers: Record<string, string>;
  badParam?: string;
  /** The text of a deeply nested value, put where `deepPlaceholder` is when serialised. */
  deep?: string;
}

function shape(variant: Variant, input: unknown, x: Extras, forgery: Forgery): Shaped {
  switch (variant) {
    case 'forged': {
      const forged = withField(input, 'partnerId', forgery.partnerId);
      return { input: withField(forged, x.key.length > 0 ? x.key : 'partner_id', forgery.ids[x.depth % forgery.ids.length] ?? forgery.partnerId), headers: { 'x-partner-id': String(forgery.partnerId) } };
    }
    case 'wrong-types':
      return { input: x.arrays ? x.anything : withField(input, x.key, x.anything), headers: {} };
    case 'unicode':
      return { input: replaceStrings(input ?? { name: '' }, x.nasty), headers: {} };
    case 'deep':
      return { input: withField(input, x.key || 'settings', deepPlaceholder), headers: {}, deep: deepJson(x.depth, x.arrays) };
    case 'proto':
      return { input, raw: prototypePollution(input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {}), headers: {} };
    case 'big':
      return { input: withField(input, x.key || 'name', 'x'.repeat(x.bigLength)), headers: {} };
    case 'megabyte':
      return { input: withField(input, 'name', 'é'.repeat(600_000)), headers: {} };
    case 'bad-params':
      return { input, headers: {}, badParam: x.param };
    case 'headers':
      return { input, headers: { 'content-type': x.contentType }, ...(x.arrays ? {} : { badParam: undefined }) };
    case 'raw':
      return { input, raw: x.raw, headers: { 'content-type': 'application/json' } };
    default:
      return { input, headers: {} };
  }
}

/** encodeURIComponent that does not throw on a lone surrogate (sent as U+FFFD, as a browser would). */
const encode = (value: string) => encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** A value as query or path text; never throws (a null-prototype object has no toString). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '[object]';
  }
}

function queryString(values: Record<string, unknown>, deep?: string): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) for (const v of value) search.append(key, asText(v));
    else if (value === deepPlaceholder && deep !== undefined) search.append(key, deep);
    else search.append(key, typeof value === 'object' && value !== null ? (serialise(value, deep) ?? '') : asText(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const callerArbitrary = (auth: CallerAuth, devFirst: boolean) =>
  fc.oneof(
    { arbitrary: fc.constant('admin'), weight: devFirst ? 1 : 4 },
    { arbitrary: fc.constant('tech'), weight: 2 },
    { arbitrary: fc.constant('dev'), weight: devFirst ? 4 : 1 },
    { arbitrary: fc.constant('none'), weight: 1 },
  ).map((caller) => ({ caller, authorization: auth[caller as keyof CallerAuth] }));

function headersFor(authorization: string | undefined, shaped: Shaped, x: Extras, variant: Variant, json: boolean): { caller?: string; headers: Record<string, string> } {
  const headers: Record<string, string> = json ? { 'content-type': 'application/json' } : {};
  if (authorization) headers.authorization = authorization;
  if (variant === 'headers' && x.arrays) {
    headers.authorization = x.auth;
    return { caller: 'bogus', headers: { ...headers, ...shaped.headers } };
  }
  if (variant === 'headers' && x.depth % 3 === 0) delete headers['content-type'];
  return { headers: { ...headers, ...shaped.headers } };
}

/** Cases for one REST operation of the bridge (or its HEAD twin), from its input schema. */
export function restCases(
  op: { method: string; path: string; procedure: string; input?: z.ZodType },
  method: string,
  options: { auth: CallerAuth; hints: Hints; forgery: Forgery },
): fc.Arbitrary<FuzzRequest> {
  const params = pathParams(op.path);
  const readsQuery = method === 'GET' || method === 'HEAD' || method === 'DELETE';
  return fc
    .record({ who: callerArbitrary(options.auth, op.path.startsWith('/api/dev/')), input: fromZod(op.input, options.hints), variant: weighted, x: extras })
    .map(({ who, input, variant, x }) => restRequest(op, method, params, readsQuery, { who, input, variant, x }, options.forgery));
}

/** The one ≥ 1 MB request each REST operation gets (refused by the body limit, or a huge query). */
export function restMegabyte(op: { method: string; path: string; input?: z.ZodType }, method: string, options: { auth: CallerAuth; forgery: Forgery }, x: Extras): FuzzRequest {
  const readsQuery = method === 'GET' || method === 'HEAD' || method === 'DELETE';
  return restRequest(op, method, pathParams(op.path), readsQuery, { who: { caller: 'admin', authorization: options.auth.admin }, input: {}, variant: 'megabyte', x }, options.forgery);
}

export const sampleExtras = (seed: number): Extras => fc.sample(extras, { numRuns: 1, seed })[0] as Extras;

function restRequest(
  op: { method: string; path: string },
  method: string,
  params: string[],
  readsQuery: boolean,
  c: { who: { caller: string; authorization: string | undefined }; input: unknown; variant: Variant; x: Extras },
  forgery: Forgery,
): FuzzRequest {
  const shaped = shape(c.variant, c.input, c.x, forgery);
  const object = shaped.input && typeof shaped.input === 'object' && !Array.isArray(shaped.input) ? { ...(shaped.input as Record<string, unknown>) } : {};
  let url = op.path;
  for (const param of params) {
    const value = shaped.badParam ?? (object[param] === undefined ? c.x.param : asText(object[param]));
    delete object[param];
    url = url.replace(`:${param}`, encode(value));
  }
  const json = !readsQuery;
  const { caller, headers } = headersFor(c.who.authorization, shaped, c.x, c.variant, json);
  const request: FuzzRequest = { surface: `REST ${method} ${op.path}`, variant: c.variant, caller: caller ?? c.who.caller, method, url, headers };
  if (readsQuery) {
    request.url += queryString(params.length > 0 || typeof shaped.input !== 'object' ? object : ((shaped.input as Record<string, unknown>) ?? {}), shaped.deep);
    if (shaped.raw !== undefined && method === 'DELETE') request.payload = shaped.raw;
  } else {
    const body = params.length > 0 ? object : shaped.input;
    request.payload = shaped.raw ?? serialise(body, shaped.deep);
  }
  return request;
}

/** Cases for one tRPC procedure over the /trpc adapter: queries by GET, mutations by POST, and the wrong ways. */
export function trpcCases(
  procedure: { path: string; type: string; input?: z.ZodType },
  options: { auth: CallerAuth; hints: Hints; forgery: Forgery },
): fc.Arbitrary<FuzzRequest> {
  const wayArbitrary = fc.oneof(
    { arbitrary: fc.constant('proper'), weight: 6 },
    { arbitrary: fc.constantFrom('batch', 'GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'), weight: 2 },
  );
  return fc
    .record({ who: callerArbitrary(options.auth, procedure.path.startsWith('dev.') || /\.dev[A-Z]/.test(procedure.path)), input: fromZod(procedure.input, options.hints), variant: weighted, x: extras, way: wayArbitrary })
    .map(({ who, input, variant, x, way }) => {
      const shaped = shape(variant, input, x, options.forgery);
      const proper = procedure.type === 'mutation' ? 'POST' : 'GET';
      const method = way === 'proper' || way === 'batch' ? proper : way;
      const batch = way === 'batch';
      const value = batch ? { 0: shaped.input } : shaped.input;
      const text = shaped.raw ?? serialise(value, shaped.deep);
      const { caller, headers } = headersFor(who.authorization, shaped, x, variant, method !== 'GET' && method !== 'HEAD');
      let url = `/trpc/${procedure.path}${batch ? '?batch=1' : ''}`;
      const request: FuzzRequest = { surface: `tRPC ${procedure.path}`, variant: way === 'proper' ? variant : 'method', caller: caller ?? who.caller, method, url, headers };
      if (method === 'GET' || method === 'HEAD') {
        if (text !== undefined) url += `${batch ? '&' : '?'}input=${encode(text)}`;
        request.url = url;
      } else if (text !== undefined) {
        request.payload = text;
      }
      return request;
    });
}

/** Cases for a route that is not a procedure (probes, files, docs, metrics): hostile params, headers, bodies. */
export function plainCases(route: { method: string; path: string }, options: { auth: CallerAuth & { metrics: string } }): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      who: fc.constantFrom('none', 'admin', 'metrics', 'bogus'),
      x: extras,
      query: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(nastyString, fc.string()), { maxKeys: 3 }),
      body: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
      goodParam: fc.boolean(),
    })
    .map(({ who, x, query, body, goodParam }) => {
      const headers: Record<string, string> = {};
      if (who === 'metrics') headers.authorization = `Bearer ${options.auth.metrics}`;
      else if (who === 'bogus') headers.authorization = x.auth;
      else if (who === 'admin' && options.auth.admin) headers.authorization = options.auth.admin;
      let url = route.path.replace(/:([A-Za-z0-9_]+)(?:\|:[A-Za-z0-9_]+)*/g, () => encode(goodParam ? 'auth.me' : x.param));
      url = url.replace(/\*$/, () => encode(x.param));
      url += queryString(query);
      const request: FuzzRequest = { surface: `route ${route.method} ${route.path}`, variant: 'raw', caller: who, method: route.method, url, headers };
      if (body !== undefined && route.method !== 'GET' && route.method !== 'HEAD') {
        request.payload = JSON.stringify(body);
        headers['content-type'] = x.arrays ? 'application/json' : x.contentType;
      }
      return request;
    });
}
