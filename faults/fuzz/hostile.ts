import fc from 'fast-check';

/** Strings that have broken parsers, databases and logs elsewhere: NUL, RTL overrides, lone surrogates… */
export const nastyString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u202Eevil\u202C',
    '\u200B\u200D\uFEFF',
    '\uD800',
    '\uDFFF\uD800',
    '👩‍👩‍👧‍👦',
    'ﷺ'.repeat(50),
    'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
    "'; DROP TABLE partners; --",
    '%00%2e%2e%2f',
    '../../../../etc/passwd',
    '${jndi:ldap://x}',
    '{{7*7}}',
    '<script>alert(1)</script>',
    '\r\nX-Injected: 1',
    '',
    ' ',
    '-0',
    'NaN',
    'Infinity',
    '1e309',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u202E', '\uD800', 'é', 'ß', '\u0301', '𝕏'), maxLength: 60 }),
);

/** Path parameter values: huge, negative, non-numeric, encoded, empty-ish. */
export const badPathParam = fc.oneof(
  fc.constantFrom('-1', '0', '1.5', '1e3', '0x10', ' 1', '99999999999999999999', '9223372036854775808', '2147483648', 'NaN', 'null', 'undefined', '__proto__', 'constructor', '%', '..', '.'),
  fc.integer().map(String),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map(String),
  nastyString.filter((s) => s.length > 0),
  fc.string({ minLength: 101, maxLength: 3000 }),
);

/** JSON text of a value nested `depth` levels deep (objects or arrays), built as text: too deep for JSON.stringify's stack. */
export function deepJson(depth: number, arrays: boolean): string {
  return arrays ? `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
}

/** Stands for the deep value in an input until it is serialised (see `serialise`). */
export const deepPlaceholder = '\u0001deep-value\u0001';

/** JSON text of an input, with the deep value's text where its placeholder is. */
export function serialise(value: unknown, deep: string | undefined): string | undefined {
  const text = JSON.stringify(value);
  return deep === undefined || text === undefined ? text : text.replace(JSON.stringify(deepPlaceholder), deep);
}

/** JSON text whose keys try to reach Object.prototype when someone merges it naively. */
export function prototypePollution(base: Record<string, unknown>): string {
  const body = JSON.stringify(base);
  const evil = '"__proto__":{"isAdmin":true,"partnerId":1,"role":"partner_admin"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"x":1}';
  return body === '{}' ? `{${evil}}` : `{${evil},${body.slice(1)}`;
}

/** Content types a client might send instead of JSON. */
export const oddContentType = fc.constantFrom(
  'text/plain',
  'text/plain; charset=utf-8',
  'application/json; charset=bogus',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  '',
  'application/json, text/plain',
  ';;;',
);

/** Authorization headers that must be refused politely (401), never crash anything. */
export const bogusAuthorization = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer x', 'Basic YWRtaW46YWRtaW4=', 'bearer  ', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'Bearer eyJ.eyJ.sig', 'Token abc', '\u0000'),
  fc.string({ maxLength: 300 }).map((s) => `Bearer ${s}`),
  fc.string({ minLength: 5000, maxLength: 9000 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, 'a')}`),
);

/** Sets `value` at a random top-level key of an object input (or replaces a non-object). */
export function withField(input: unknown, key: string, value: unknown): unknown {
  return input && typeof input === 'object' && !Array.isArray(input) ? { ...(input as object), [key]: value } : { [key]: value };
}

/** Replaces every string in a value with one of `strings` (cycled). */
export function replaceStrings(value: unknown, strings: string[], at = { i: 0 }): unknown {
  if (typeof value === 'string') return strings[at.i++ % strings.length];
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, strings, at));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, strings, at)]));
  return value;
}
