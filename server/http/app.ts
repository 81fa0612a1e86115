import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { TRPCError } from '@trpc/server';
import type { FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import pkg from '../../package.json' with { type: 'json' };
import type { ApiErrorBody } from '../../shared/errors.js';
import { pendingMigrations } from '../db/migrate.js';
import { isDatabaseUnreachable } from '../db/unreachable.js';
import type { AppDeps } from '../deps.js';
import { appRouter, type AppRouter } from '../routers/index.js';
import { createContext, type RequestMeta } from '../trpc/context.js';
import { resolveApiError, type ResolvedApiError } from '../trpc/errors.js';
import { registerMetrics } from '../metrics/route.js';
import { registerFileRoutes } from './files.js';
import { registerInboundRoute } from './inbound.js';
import { registerMcpRoute } from '../mcp/route.js';
import { registerTrpcRoute } from './trpcRoute.js';
import { buildOpenApiDocument } from './openapi.js';
import { callProcedure, restInput, restOperations, type RestOperation } from './restOperations.js';

/** Bodies are small JSON documents; anything larger is refused before it is parsed. */
export const bodyLimitBytes = 256 * 1024;

const safeRequestId = /^[A-Za-z0-9._:-]{1,64}$/;

/** Methods the Fetch API's Request (which the tRPC adapter builds) refuses to carry. */
const forbiddenFetchMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);

function requestMeta(req: FastifyRequest): RequestMeta {
  const authorization = req.headers.authorization;
  return { authorization, ip: req.ip, requestId: String(req.id), log: req.log };
}

function sendError(reply: FastifyReply, resolved: ResolvedApiError) {
  if (resolved.retryAfterSeconds) reply.header('retry-after', String(resolved.retryAfterSeconds));
  return reply.code(resolved.status).send({ error: resolved.body });
}

function logIfInternal(req: FastifyRequest, error: unknown, resolved: ResolvedApiError) {
  if (resolved.status < 500) return;
  const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
  // The database being down is an outage to watch, not a bug: one warning line, no stack.
  if (isDatabaseUnreachable(cause)) req.log.warn({ code: resolved.body.code }, 'request failed: database unreachable');
  // The vendor refused a call made for the user (a token without a permission, a closed ticket):
  // its answer, already shown to the user, not a fault of ours to page anyone about.
  else if (resolved.body.code === 'VENDOR_ERROR') req.log.warn({ code: resolved.body.code }, 'request refused by the vendor');
  else req.log.error({ err: cause }, 'request failed');
}

/** One REST route: the request becomes the procedure's input, called as tRPC's caller would (callProcedure). */
function registerRestRoute(app: FastifyInstance, deps: AppDeps, route: RestOperation) {
  app.route({
    method: route.method,
    url: route.path,
    handler: async (req, reply) => {
      const input = restInput(route, {
        params: req.params as Record<string, string>,
        query: req.query as Record<string, unknown>,
        body: req.body,
      });
      try {
        const result = await callProcedure(appRouter, createContext(deps, requestMeta(req)), route.procedure, input);
        return reply.code(route.successStatus ?? 200).send(result);
      } catch (error) {
        const resolved = resolveApiError(error);
        logIfInternal(req, error, resolved);
        return sendError(reply, resolved);
      }
    },
  });
}

/** How tRPC is served: context, error logging, Retry-After (also used by trpcRoute.test.ts and the bench). */
export function trpcOptions(deps: AppDeps) {
  return {
    router: appRouter,
    createContext: ({ req }: { req: FastifyRequest }) => createContext(deps, requestMeta(req)),
    onError: ({ error, req }: { error: TRPCError; req: FastifyRequest }) => logIfInternal(req, error, resolveApiError(error)),
    responseMeta: ({ errors }: { errors: TRPCError[] }) => {
      const retry = errors.map((e) => resolveApiError(e).retryAfterSeconds).find((s) => s !== undefined);
      return retry ? { headers: { 'retry-after': String(retry) } } : {};
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'];
}

/**
 * The HTTP server: tRPC at /trpc, the REST bridge at /api, OpenAPI and docs, health probes.
 * Built without listening, so tests drive it with `app.inject`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    requestIdHeader: false,
    // Reuse a caller's request id only when it is a short plain token (it is logged).
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && safeRequestId.test(header) ? header : randomUUID();
    },
    // The router's own refusals (a path parameter over 100 characters, a malformed URL) in the
    // API's error shape rather than Fastify's, without echoing the URL back.
    frameworkErrors: (error, _req, reply) => {
      const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is longer than 100 characters' : 'The URL is not valid';
      return sendError(reply as FastifyReply, { status: 400, body: { code: 'BAD_REQUEST', message } });
    },
  });

  // Requests the tRPC adapter cannot read and throws on (a 500 with a stack): undici's Request
  // refuses TRACE, and the adapter hands a multipart body on as a stream it then tries to
  // serialise. Nothing here takes either, so they are refused first, in the error shape.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/trpc/')) return;
    if (forbiddenFetchMethods.has(req.method)) {
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `tRPC procedures are called with GET or POST, not ${req.method}` } satisfies ApiErrorBody });
    }
    if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
      return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: 'tRPC calls take JSON (application/json), not multipart bodies' } satisfies ApiErrorBody });
    }
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
    reply.header('x-content-type-options', 'nosniff');
    if (req.url.startsWith('/api/') || req.url.startsWith('/trpc/')) reply.header('cache-control', 'no-store');
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    const status = error.statusCode ?? 500;
    let resolved: ResolvedApiError;
    if (status === 413) {
      resolved = { status, body: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${bodyLimitBytes} bytes` } };
    } else if (status >= 400 && status < 500) {
      // Fastify's own 4xx (malformed JSON, wrong content type) have safe, useful messages.
      resolved = { status: 400, body: { code: 'BAD_REQUEST', message: error.message } };
    } else {
      resolved = resolveApiError(error);
    }
    logIfInternal(req, error, resolved);
    return sendError(reply, resolved);
  });

  app.setNotFoundHandler((req, reply) => {
    const body: ApiErrorBody = { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` };
    return reply.code(404).send({ error: body });
  });

  // Sync change streams (SSE) never end on their own: end them so close() does not wait on them.
  app.addHook('preClose', async () => deps.syncFeed.stop());

  // Issue 20 §8: Prometheus figures for the operator, behind METRICS_TOKEN (before the routes,
  // so its response hook counts every one of them).
  registerMetrics(app, deps);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      const pending = await pendingMigrations(deps.db.pool);
      if (pending.length > 0) {
        return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: `Migrations pending: ${pending.join(', ')}` } });
      }
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: 'The database is not reachable' } });
    }
  });

  await registerTrpcRoute(app, '/trpc', trpcOptions(deps));

  // Issue 15: published files (reports vendors fetch themselves), public and single-use.
  registerFileRoutes(app, deps);

  // Issue 18 §5: inbound webhooks, public and authenticated by their signature alone.
  registerInboundRoute(app, deps);

  // Issue 25: AI assistants (MCP over Streamable HTTP), authenticated by personal access tokens.
  registerMcpRoute(app, deps);

  const operations = restOperations(appRouter);
  for (const route of operations) registerRestRoute(app, deps, route);

  const document = buildOpenApiDocument(operations, { version: pkg.version });
  app.get('/api/openapi.json', async () => document);
  await app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });

  return app;
}
