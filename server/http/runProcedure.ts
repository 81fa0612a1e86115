import { getTRPCErrorFromUnknown, isObject, middlewareMarker, TRPCError, type AnyProcedure } from '@trpc/server/unstable-core-do-not-import';
import { z } from 'zod';

/** What a tRPC middleware step receives; `next` may replace the context (merged) or the input. */
interface CallOptions {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  ctx: unknown;
  input?: unknown;
  getRawInput: () => Promise<unknown>;
  signal: AbortSignal | undefined;
  batchIndex: number;
}

interface NextOptions {
  ctx?: Record<string, unknown>;
  input?: unknown;
  getRawInput?: () => Promise<unknown>;
}

type MiddlewareResult = { ok: true; data: unknown } | { ok: false; error: TRPCError };
type Middleware = ((opts: CallOptions & { meta: unknown; next: (next?: NextOptions) => Promise<MiddlewareResult> }) => Promise<MiddlewareResult>) & {
  _type?: string;
};
interface ProcedureDef {
  middlewares: Middleware[];
  inputs: unknown[];
  output?: unknown;
  meta: unknown;
  caller?: unknown;
}

/**
 * Runs one procedure's middlewares, input parsers, output validator and resolver as tRPC's own
 * `callRecursive` does (`@trpc/server` initTRPC), for the two hot paths that call procedures
 * themselves: the direct tRPC route (trpcRoute.ts) and the REST bridge (app.ts). Two things
 * differ, both for speed (issue 19 §2, §3), neither in outcome:
 *
 * - **Copies.** tRPC's build copies the call's options at every middleware step with a Babel
 *   `_objectSpread2` helper (property by property, through `Object.defineProperty`): 13% of the
 *   server's samples on `auth.me` under `npm run bench -- http-overhead`. Here they are native
 *   object spreads.
 * - **Validation.** tRPC validates with the schema's `parseAsync`, and zod skips its compiled
 *   object parser on every async parse: the audit page's output schema (50 rows) was a fifth of
 *   the server's samples. Zod inputs and outputs are parsed here synchronously (the compiled
 *   path), falling back to `parseAsync` for a schema with async parts; the errors are tRPC's
 *   (BAD_REQUEST with the ZodError as cause; "Output validation failed").
 *
 * `runProcedure.test.ts` runs procedures both ways and compares every step and outcome, and
 * `trpcRoute.test.ts` compares whole HTTP answers with tRPC's own handler, so a tRPC upgrade that
 * changes either fails there. A procedure with an `experimental_caller` is handed to tRPC unchanged.
 */
export async function runProcedure(procedure: AnyProcedure, opts: CallOptions): Promise<unknown> {
  // At run time the def also holds what the builder made: the middlewares and the output parser.
  const def = procedure._def as unknown as ProcedureDef;
  if (def.caller) return (procedure as unknown as (o: CallOptions) => Promise<unknown>)(opts);
  const result = await step(middlewaresOf(def), def.meta, 0, opts);
  if (!result) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'No result from middlewares - did you forget to `return next()`?' });
  if (!result.ok) throw result.error;
  return result.data;
}

async function step(middlewares: Middleware[], meta: unknown, index: number, opts: CallOptions): Promise<MiddlewareResult> {
  try {
    const middleware = middlewares[index] as Middleware;
    return await middleware({
      ...opts,
      meta,
      // A method rather than an arrow: under tsx (esbuild's keepNames) an arrow made per step also
      // gets its name set through defineProperty.
      next(next?: NextOptions) {
        return step(middlewares, meta, index + 1, {
          ...opts,
          ctx: next?.ctx ? { ...(opts.ctx as object), ...next.ctx } : opts.ctx,
          input: next && 'input' in next ? next.input : opts.input,
          getRawInput: next?.getRawInput ?? opts.getRawInput,
        });
      },
    });
  } catch (cause) {
    return { ok: false, error: getTRPCErrorFromUnknown(cause), marker: middlewareMarker } as MiddlewareResult;
  }
}

const prepared = new WeakMap<ProcedureDef, Middleware[]>();

/** The procedure's middlewares with its zod input and output validators parsing synchronously. */
function middlewaresOf(def: ProcedureDef): Middleware[] {
  let middlewares = prepared.get(def);
  if (!middlewares) {
    // tRPC adds one input middleware per `.input()`, in order, and one output middleware for `.output()`.
    let inputIndex = 0;
    middlewares = def.middlewares.map((middleware) => {
      if (middleware._type === 'input') {
        const schema = def.inputs[inputIndex++];
        return schema instanceof z.ZodType ? inputValidator(schema) : middleware;
      }
      if (middleware._type === 'output') return def.output instanceof z.ZodType ? outputValidator(def.output) : middleware;
      return middleware;
    });
    prepared.set(def, middlewares);
  }
  return middlewares;
}

/** The compiled (synchronous) parse, or the async one for a schema with async refinements or transforms. */
function parse(schema: z.ZodType, value: unknown): unknown {
  try {
    return schema.parse(value);
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError) return schema.parseAsync(value);
    throw error;
  }
}

/** tRPC's `inputValidatorMiddleware`: parse the raw input, merge it over an earlier `.input()`'s. */
function inputValidator(schema: z.ZodType): Middleware {
  return async (opts) => {
    const raw = await opts.getRawInput();
    let parsed: unknown;
    try {
      parsed = await parse(schema, raw);
    } catch (cause) {
      throw new TRPCError({ code: 'BAD_REQUEST', cause });
    }
    return opts.next({ input: isObject(opts.input) && isObject(parsed) ? { ...opts.input, ...parsed } : parsed });
  };
}

/** tRPC's `outputValidatorMiddleware`: a result the schema refuses is the server's fault. */
function outputValidator(schema: z.ZodType): Middleware {
  return async (opts) => {
    const result = await opts.next();
    if (!result.ok) return result;
    try {
      return { ...result, data: await parse(schema, result.data) };
    } catch (cause) {
      throw new TRPCError({ message: 'Output validation failed', code: 'INTERNAL_SERVER_ERROR', cause });
    }
  };
}
