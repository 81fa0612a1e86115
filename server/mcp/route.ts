import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pkg from '../../package.json' with { type: 'json' };
import { hit } from '../auth/rateLimit.js';
import { withSystem } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import type { Principal } from '../services/principal.js';
import { authenticateAccessToken, McpAuthError, rateBucketOf, tokenOf } from './auth.js';
import { mcpPath } from './endpoint.js';
import { readResource, resourceList, resourceTemplates } from './resources.js';
import { availableActions, callTool, listTools } from './tools.js';

/**
 * The MCP endpoint (issue 25, docs/mcp.md): Streamable HTTP at /mcp, stateless. Every request
 * is authenticated by its personal access token and served by a fresh MCP server for that
 * token's principal, so no session lives in memory and any instance answers any request:
 * `tools/list` is computed per request from what is available now. A GET opens the server's
 * notification stream: it sends `notifications/tools/list_changed` when the partner's changes
 * (the sync feed, across instances) change the token's tool list, and ends after 5 minutes.
 */
const streamLifeMs = 5 * 60_000;

const instructions =
  'Integration Center: run the integrations of one MSP partner (PSA, backup, RMM, security) as tools. ' +
  'Read ic://clients to find a client and its organization at each vendor, and ic://integrations for what is configured. ' +
  'Client-scoped tools take the client id. Tools that change data at a vendor run once per idempotency key: reuse the key on retries.';

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

function buildServer(deps: AppDeps, principal: Principal): Server {
  const server = new Server({ name: 'integration-center', title: 'Integration Center', version: pkg.version }, { capabilities: { tools: { listChanged: true }, resources: {} }, instructions });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await listTools(deps, principal) }));
  server.setRequestHandler(CallToolRequestSchema, (request) => callTool(deps, principal, request.params));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: resourceList }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => readResource(deps, principal, request.params.uri));
  return server;
}

/** Sends tools/list_changed on the open GET stream whenever the set of available tool names changes. */
async function watchToolList(deps: AppDeps, principal: Principal, server: Server, signal: AbortSignal) {
  const names = async () => (await availableActions(deps, principal)).map((a) => a.id).sort().join(',');
  let last = await names();
  for await (const _version of deps.syncFeed.watch(principal.partnerId, signal, async () => 0)) {
    const now = await names();
    if (now !== last) {
      last = now;
      await server.sendToolListChanged();
    }
  }
}

/**
 * One request counted against its token's limit, without waiting for the commit to reach the disk:
 * the count is a committed write on every MCP request, and its fsync was most of the MCP layer's
 * cost (docs/mcp.md, Figures). A crash may lose the last few counts, which only lets a token
 * send a few more requests in that minute.
 */
function countRequest(deps: AppDeps, bucket: string, rule: { limit: number; windowMs: number }) {
  return withSystem(deps.db, async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    return hit(tx, bucket, rule);
  });
}

export function registerMcpRoute(app: FastifyInstance, deps: AppDeps) {
  const rule = { limit: deps.config.mcp.requestsPerMinute, windowMs: 60_000 };

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    // The token's lookup and its rate-limit count (a write) side by side: one round trip's wait, not two.
    const token = tokenOf(req.headers.authorization);
    const [auth, limit] = await Promise.allSettled([authenticateAccessToken(deps, req.headers.authorization), token ? countRequest(deps, rateBucketOf(token), rule) : null]);
    if (auth.status === 'rejected') {
      const error: unknown = auth.reason;
      if (!(error instanceof McpAuthError)) throw error;
      if (error.status === 401) reply.header('www-authenticate', 'Bearer realm="integration-center"');
      return reply.code(error.status).send(rpcError(-32001, error.message));
    }
    if (limit.status === 'rejected') throw limit.reason;
    const principal = auth.value;
    const limited = limit.value;
    if (limited && !limited.allowed) {
      return reply.code(429).header('retry-after', String(limited.retryAfterSeconds)).send(rpcError(-32029, `Too many requests with this token: at most ${rule.limit} a minute; retry in ${limited.retryAfterSeconds} s`));
    }
    const server = buildServer(deps, principal);
    // Stateless (no session id): JSON answers for POSTs, an SSE stream for the GET.
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const ended = new AbortController();
    reply.hijack();
    reply.raw.setHeader('x-request-id', String(req.id));
    reply.raw.on('close', () => {
      ended.abort();
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    if (req.method === 'GET') {
      const timer = setTimeout(() => reply.raw.end(), streamLifeMs);
      ended.signal.addEventListener('abort', () => clearTimeout(timer));
      watchToolList(deps, principal, server, ended.signal).catch((error: unknown) => deps.log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'mcp tool list watch ended'));
    }
    await transport.handleRequest(req.raw, reply.raw, req.body);
  }

  app.post(mcpPath, handle);
  app.get(mcpPath, handle);
  // Stateless: there is no session to end.
  app.delete(mcpPath, async (_req, reply) => reply.code(405).header('allow', 'GET, POST').send(rpcError(-32000, 'This server keeps no MCP sessions: there is nothing to delete')));
}
