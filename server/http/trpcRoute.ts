import { fastifyRequestHandler, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import {
  getErrorShape,
  getHTTPStatusCode,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  TRPCError,
  type AnyRouter,
} from '@trpc/server/unstable-core-do-not-import';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { runProcedure } from './runProcedure.js';

type TrpcOptions<R extends AnyRouter> = FastifyTRPCPluginOptions<R>['trpcOptions'];

/**
 * tRPC at `/trpc/:path` over Fastify, with the common call answered directly (issue 19 §2).
 *
 * tRPC's own Fastify adapter turns every request into a Fetch `Request` (with its AbortSignal)
 * and answers with a Fetch `Response` that Fastify streams out chunked. For the desktop's calls
 * (one query by GET, one mutation by POST) that wrapping cost about four times what the
 * procedure itself did: `npm run bench -- http-overhead` measured it beside a bare handler.
 *
 * So a single query or mutation is run here through tRPC's own pieces (`getProcedureAtPath`,
 * the procedure's middlewares and validation as runProcedure.ts runs them, `getErrorShape`,
 * the transformer, `getHTTPStatusCode`) and answered as one buffered JSON body with a
 * content-length. Everything else (subscriptions, which carry the sync change feed, batches,
 * `application/jsonl`, a method that does not match the procedure, HEAD, an unknown path) goes to
 * tRPC's own handler unchanged. `trpcRoute.test.ts` sends the same requests to both and compares
 * status, headers and body.
 *
 * One difference, on purpose: the direct path gives procedures no AbortSignal (making one per
 * call was a measurable share of the cost). Only subscriptions read it, and they are not taken
 * here.
 */
export async function registerTrpcRoute<R extends AnyRouter>(app: FastifyInstance, prefix: string, options: TrpcOptions<R>): Promise<void> {
  const router = options.router as AnyRouter;
  const config = router._def._config;

  await app.register(async (scope) => {
    // As tRPC's plugin does: bodies reach tRPC as text, which it parses itself.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    scope.all(`${prefix}/:path`, async (req: FastifyRequest<{ Params: { path: string }; Querystring: Record<string, string | undefined> }>, reply) => {
      const path = req.params.path;
      const direct = await directCall(req, path);
      if (!direct) {
        await fastifyRequestHandler({ ...options, req, res: reply, path } as never);
        return reply;
      }
      return answer(req, reply, path, direct);
    });
  });

  /** The procedure, when this request is one plain query or mutation it may run directly. */
  async function directCall(req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, path: string) {
    const type = req.method === 'GET' ? ('query' as const) : req.method === 'POST' ? ('mutation' as const) : undefined;
    if (!type || 'batch' in req.query || path.includes(',') || req.headers['trpc-accept'] !== undefined) return undefined;
    // A mutation's body must be JSON, as tRPC's handler requires (it names a missing or wrong content type).
    if (type === 'mutation' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return undefined;
    const procedure = await getProcedureAtPath(router, path);
    return procedure && procedure._def.type === type ? { procedure, type } : undefined;
  }

  async function answer(
    req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
    path: string,
    { procedure, type }: NonNullable<Awaited<ReturnType<typeof directCall>>>,
  ) {
    let ctx: unknown;
    let input: unknown;
    let json: { result: { data: unknown } } | { error: unknown };
    let error: TRPCError | undefined;
    try {
      ctx = await options.createContext?.({ req, res: reply, info: undefined as never });
      const data = await runProcedure(procedure, {
        path,
        ctx,
        type,
        signal: undefined,
        batchIndex: 0,
        // A method rather than an arrow: under tsx (esbuild's keepNames) every arrow made per call
        // also gets its name set through defineProperty, a measurable cost on this path.
        async getRawInput() {
          try {
            // As tRPC's handler: a query's input is optional; a mutation's body is always parsed.
            if (type === 'query') input = req.query.input ? JSON.parse(req.query.input) : undefined;
            else input = JSON.parse((req.body as string | undefined) ?? '');
            return input === undefined ? undefined : config.transformer.input.deserialize(input);
          } catch (cause) {
            // As tRPC's handler: input it cannot read is the caller's mistake, named.
            if (cause instanceof TRPCError) throw cause;
            throw new TRPCError({ code: 'BAD_REQUEST', message: cause instanceof Error ? cause.message : 'Invalid input', cause });
          }
        },
      });
      json = { result: { data } };
    } catch (cause) {
      error = getTRPCErrorFromUnknown(cause);
      options.onError?.({ error, path, input, ctx: ctx as never, type, req } as never);
      json = { error: getErrorShape({ config, ctx, error, input, path, type }) };
    }
    const meta = options.responseMeta?.({ ctx: ctx as never, data: [json as never], errors: error ? [error] : [], type, paths: [path], info: undefined, eagerGeneration: false });
    reply.code(meta?.status ?? getHTTPStatusCode(json as never));
    reply.header('vary', 'trpc-accept, accept');
    for (const [name, value] of Object.entries(meta?.headers ?? {})) if (value !== undefined) reply.header(name, value);
    reply.header('content-type', 'application/json');
    // What transformTRPCResponse does for one item, without its per-call object copies.
    const serialize = config.transformer.output.serialize;
    return reply.send(JSON.stringify('error' in json ? { error: serialize(json.error) } : { result: { data: serialize(json.result.data) } }));
  }
}
