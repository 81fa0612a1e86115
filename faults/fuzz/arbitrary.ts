import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** Values the world knows (ids of A and B, integration keys…), offered for fields of that name. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

const formatArbitrary: Record<string, fc.Arbitrary<string>> = {
  email: fc.emailAddress(),
  uri: fc.webUrl(),
  url: fc.webUrl(),
  'date-time': fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  date: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  uuid: fc.uuid(),
};

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  if (typeof s.format === 'string' && formatArbitrary[s.format]) return formatArbitrary[s.format] as fc.Arbitrary<string>;
  if (typeof s.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= Number(s.maxLength ?? 10_000));
    } catch {
      // A pattern fast-check cannot generate from: plain strings instead.
    }
  }
  const minLength = Number(s.minLength ?? 0);
  const maxLength = Math.max(minLength, Math.min(Number(s.maxLength ?? minLength + 40), minLength + 200));
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function numberArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : undefined;
  const max = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : undefined;
  if (integer) {
    return fc.integer({ min: Math.max(min ?? -1e6, Number.MIN_SAFE_INTEGER), max: Math.min(max ?? 1e6, Number.MAX_SAFE_INTEGER) });
  }
  return fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values for a JSON Schema as zod writes it (`z.toJSONSchema`, io "input"): the shapes shared/
 * uses — objects (strict or not), arrays, records, enums, literals, unions, nullable, string
 * formats and patterns, bounded numbers. Mostly valid, so a route gets past validation and into
 * its service; the hostile variants are generated beside these (hostile.ts).
 */
export function fromJsonSchema(schema: unknown, hints: Hints = {}, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const s = (schema && typeof schema === 'object' ? schema : {}) as JsonSchema;
  const own = depth > 6 ? fc.constant(null) : fromSchemaOnly(s, hints, depth);
  const hint = name === undefined ? undefined : hints[name];
  return hint ? fc.oneof({ arbitrary: hint, weight: 2 }, { arbitrary: own, weight: 1 }) : own;
}

function fromSchemaOnly(s: JsonSchema, hints: Hints, depth: number): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) return fc.oneof(...options.map((o) => fromJsonSchema(o, hints, depth + 1)));
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return fromJsonSchema(s.allOf[0], hints, depth + 1);
  const type = Array.isArray(s.type) ? fc.constantFrom(...(s.type as string[])) : undefined;
  if (type) return type.chain((t) => fromSchemaOnly({ ...s, type: t }, hints, depth));
  switch (s.type) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
      return numberArbitrary(s, true);
    case 'number':
      return numberArbitrary(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = Array.isArray(s.prefixItems)
        ? fc.tuple(...(s.prefixItems as unknown[]).map((i) => fromJsonSchema(i, hints, depth + 1)))
        : fc.array(fromJsonSchema(s.items, hints, depth + 1), { minLength: Number(s.minItems ?? 0), maxLength: Math.min(Number(s.maxItems ?? 5), Number(s.minItems ?? 0) + 5) });
      return items;
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, fromJsonSchema(value, hints, depth + 1, key)])),
        { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
      );
      const extra = s.additionalProperties;
      if (extra && typeof extra === 'object') {
        const more = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fromJsonSchema(extra, hints, depth + 1), { maxKeys: 5 });
        return fc.tuple(record, more).map(([r, m]) => ({ ...m, ...r }));
      }
      return record;
    }
    default:
      // Unrepresentable in JSON Schema (a transform, a custom check): anything JSON can carry.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A zod schema's input values (see fromJsonSchema); absent schema: no input. */
export function fromZod(schema: z.ZodType | undefined, hints: Hints = {}): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant(undefined);
  let json: unknown;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    json = {};
  }
  return fromJsonSchema(json, hints);
}
