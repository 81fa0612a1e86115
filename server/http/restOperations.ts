import type { AnyRouter } from '@trpc/server';
import { getProcedureAtPath, TRPCError } from '@trpc/server/unstable-core-do-not-import';
import { z } from 'zod';
import { procedureMetaSchema, type RestMeta } from '../trpc/meta.js';
import { runProcedure } from './runProcedure.js';

/**
 * One REST route: a procedure that declares `meta.openapi`, with the procedure's own schemas.
 * The REST bridge (server/http/app.ts) and the OpenAPI document (openapi.ts) are both built from
 * these, so a procedure, its route and its documentation cannot drift apart.
 */
export interface RestOperation extends RestMeta {
  /** The procedure's dotted path (`integrations.list`): what the route calls. */
  procedure: string;
  /** Absent when the procedure takes nothing from the request. */
  input?: z.ZodType;
  output: z.ZodType;
}

export interface RestRequestParts {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

// What the bridge reads of a built procedure: tRPC keeps its meta and parsers on `_def`. Only
// procedures with a REST route must have zod parsers (checked in operationOf).
const procedureDefSchema = z.object({
  type: z.enum(['query', 'mutation', 'subscription']),
  meta: procedureMetaSchema.optional(),
  inputs: z.array(z.unknown()),
  output: z.unknown().optional(),
});

/** The `:param` names of a Fastify path, in order. */
export const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);

/** The input as JSON Schema (what a client sends), without the `$schema` dialect line. */
export function inputJsonSchema(input: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' });
  return schema;
}

/** The top-level fields of an object input. */
function inputFields(schema: Record<string, unknown>): string[] {
  const properties = schema.properties;
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}

function operationOf(procedure: string, def: z.infer<typeof procedureDefSchema>, meta: RestMeta): RestOperation {
  const where = `${meta.method} ${meta.path} (${procedure})`;
  if (def.type === 'subscription') throw new Error(`${where}: a subscription has no REST route`);
  const { output } = def;
  if (!(output instanceof z.ZodType)) throw new Error(`${where}: a REST route needs the procedure's .output() zod schema to document it`);
  const [input, ...more] = def.inputs;
  if (more.length > 0) throw new Error(`${where}: a REST route takes one .input() schema`);
  if (input !== undefined && !(input instanceof z.ZodType)) throw new Error(`${where}: a REST route's input must be a zod schema`);
  const schema = input ? inputJsonSchema(input) : undefined;
  const fields = schema ? inputFields(schema) : [];
  const missing = pathParams(meta.path).filter((param) => !fields.includes(param));
  if (missing.length > 0) throw new Error(`${where}: path parameters ${missing.join(', ')} are not input fields`);
  // An object input without fields (`z.strictObject({}).optional()`, for tRPC clients that send
  // {}) takes nothing from a REST request: a stray query or body key is ignored, not a 400.
  const takesNothing = schema?.type === 'object' && fields.length === 0;
  return { ...meta, procedure, output, ...(input && !takesNothing ? { input } : {}) };
}

/**
 * Every procedure of the router that declares a REST route, in router order. Throws at boot on
 * a route that could not work (no output schema, a path parameter the input lacks, two
 * procedures on one method and path), so a mistake never reaches a client.
 */
export function restOperations(router: AnyRouter): RestOperation[] {
  // At run time tRPC keeps a flat map keyed by dotted path; its declared type is the nested shape.
  const entries: [string, unknown][] = Object.entries(router._def.procedures);
  const operations: RestOperation[] = [];
  const seen = new Map<string, string>();
  for (const [procedure, value] of entries) {
    const def = procedureDefSchema.parse(typeof value === 'function' && '_def' in value ? value._def : undefined);
    const meta = def.meta?.openapi;
    if (!meta) continue;
    const route = `${meta.method} ${meta.path}`;
    const other = seen.get(route);
    if (other) throw new Error(`${route} is declared by both ${other} and ${procedure}`);
    seen.set(route, procedure);
    operations.push(operationOf(procedure, def, meta));
  }
  return operations;
}

/** Builds the procedure input: the query (GET, DELETE) or JSON body, with path parameters on top. */
export function restInput(operation: RestOperation, parts: RestRequestParts): unknown {
  if (!operation.input) return undefined;
  const base = operation.method === 'GET' || operation.method === 'DELETE' ? parts.query : parts.body;
  if (Object.keys(parts.params).length === 0) return base;
  // Path parameters win, so a body can never name a different resource than the URL.
  const object = base && typeof base === 'object' && !Array.isArray(base) ? base : {};
  return { ...object, ...parts.params };
}

/**
 * Calls a procedure by its dotted path with this context, as tRPC's `createCaller(ctx)` would
 * (auth, partner scope, input and output validation and errors are the procedure's own), through
 * runProcedure.ts: the REST bridge is a hot path, and tRPC's caller copies the call's options at
 * every middleware step (issue 19 §2, §3).
 */
export async function callProcedure(router: AnyRouter, ctx: unknown, path: string, input: unknown): Promise<unknown> {
  const procedure = await getProcedureAtPath(router, path);
  if (!procedure) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${path}"` });
  return runProcedure(procedure, {
    path,
    ctx,
    type: procedure._def.type,
    signal: undefined,
    batchIndex: 0,
    async getRawInput() {
      return input;
    },
  });
}
