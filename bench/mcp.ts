import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createActionPlugin, startLoopbackVendor } from '../server/integrations/testing/actionPlugin.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

/**
 * Issue 25's figures (docs/mcp.md), through the real server over HTTP on loopback with the
 * official SDK's Client, for a partner with 7 integrations configured (7 loopback action plugins,
 * 4 available actions each (the fifth needs a public base URL), against one loopback vendor that answers at once):
 * - `tools/list` round trip (authentication of the token, availability of every action, their
 *   JSON Schemas) beside `GET /api/actions`, which judges the same actions for the desktop;
 * - a read tool call (`desk1.tickets.get`) beside the same action run directly
 *   (`POST /api/actions/:id/run` with a JWT), interleaved, one after the other: the aim is ≤ 1.2×.
 * A stateless MCP request is one HTTP POST, as a desktop tRPC call is, so the ratio is the MCP
 * layer's own cost: the token lookup, a fresh SDK server per request and JSON-RPC framing.
 */
const samples = 300;
const warmup = 30;
const integrations = 7;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50Ms: Number(pct(sorted, 50).toFixed(3)), p95Ms: Number(pct(sorted, 95).toFixed(3)), p99Ms: Number(pct(sorted, 99).toFixed(3)) };
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export const mcpBench: Benchmark = {
  name: 'mcp',
  async run() {
    const vendor = await startLoopbackVendor();
    const plugins = Array.from({ length: integrations }, (_, i) => createActionPlugin(vendor, { key: `desk${i + 1}` }).plugin);
    const server = await startBenchServer({ plugins, env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', HEALTH_SCHEDULER: 'false', MCP_REQUESTS_PER_MINUTE: '100000' } });
    let client: Client | undefined;
    try {
      const { db, tokens } = server.runtime.deps;
      const partner = await makePartner(db, { name: 'Bench MCP' });
      const admin = await makeUser(db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const post = async (path: string, body: unknown) => {
        const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.json() as Promise<Record<string, unknown>>;
      };
      for (const plugin of plugins) {
        await post(`/api/integrations/${plugin.meta.key}/configure`, { settings: { subdomain: 'bench', api_token: 'bench-mcp-token-long-enough', region: 'us', base_url: vendor.url } });
      }
      const { token } = (await post('/api/access-tokens', { name: 'Bench assistant', expiresInDays: 1, mode: 'read_write' })) as { token: string };
      client = new Client({ name: 'bench', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      const mcp = client;

      const toolCount = (await mcp.listTools()).tools.length;
      const listTools = async () => void (await mcp.listTools());
      // The same two requests as bare JSON-RPC POSTs, without the SDK client's own work (it
      // compiles a validator for every tool's output schema on each tools/list).
      const rpc = async (method: string, params: unknown) => {
        const r = await fetch(`${server.url}/mcp`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        });
        const body = (await r.json()) as { error?: unknown; result?: { isError?: boolean } };
        if (!r.ok || body.error || body.result?.isError) throw new Error(`${method}: ${r.status} ${JSON.stringify(body)}`);
      };
      const rawList = () => rpc('tools/list', {});
      const rawCall = () => rpc('tools/call', { name: 'desk1.tickets.get', arguments: { ticketId: '101' } });
      const listActions = async () => {
        const r = await fetch(`${server.url}/api/actions`, { headers: { authorization: auth } });
        if (!r.ok) throw new Error(`GET /api/actions: ${r.status}`);
        await r.json();
      };
      const direct = async () => void (await post('/api/actions/desk1.tickets.get/run', { input: { ticketId: '101' } }));
      const viaMcp = async () => {
        const result = (await mcp.callTool({ name: 'desk1.tickets.get', arguments: { ticketId: '101' } })) as CallToolResult;
        if (result.isError) throw new Error(JSON.stringify(result.content));
      };
      for (let i = 0; i < warmup; i++) {
        await listTools();
        await listActions();
        await rawList();
        await rawCall();
        await direct();
        await viaMcp();
      }
      const listMs: number[] = [];
      const actionsMs: number[] = [];
      const rawListMs: number[] = [];
      const rawCallMs: number[] = [];
      const directMs: number[] = [];
      const mcpMs: number[] = [];
      // Interleaved, alternating which goes first, so drift on a shared machine hits both alike.
      for (let i = 0; i < samples; i++) {
        listMs.push(await time(listTools));
        actionsMs.push(await time(listActions));
        rawListMs.push(await time(rawList));
        rawCallMs.push(await time(rawCall));
        if (i % 2 === 0) {
          directMs.push(await time(direct));
          mcpMs.push(await time(viaMcp));
        } else {
          mcpMs.push(await time(viaMcp));
          directMs.push(await time(direct));
        }
      }
      const s = { toolsList: summary(listMs), actionsList: summary(actionsMs), rawToolsList: summary(rawListMs), rawToolCall: summary(rawCallMs), directRun: summary(directMs), toolCall: summary(mcpMs) };
      const ratioP50 = Number((s.toolCall.p50Ms / s.directRun.p50Ms).toFixed(2));
      const ratioP95 = Number((s.toolCall.p95Ms / s.directRun.p95Ms).toFixed(2));
      const rawRatioP50 = Number((s.rawToolCall.p50Ms / s.directRun.p50Ms).toFixed(2));
      const rows = [
        { measure: `tools/list, ${integrations} integrations (${toolCount} tools), round trip`, ...s.toolsList },
        { measure: '  tools/list as a bare JSON-RPC POST', ...s.rawToolsList },
        { measure: 'the same actions listed directly (GET /api/actions), round trip', ...s.actionsList },
        { measure: 'read action run directly (POST /api/actions/…/run), round trip', ...s.directRun },
        { measure: 'the same as an MCP tool call, round trip', ...s.toolCall },
        { measure: '  the tool call as a bare JSON-RPC POST', ...s.rawToolCall },
        { measure: 'tool call ÷ direct run (SDK client)', p50Ms: ratioP50, p95Ms: ratioP95, p99Ms: '' },
        { measure: 'tool call ÷ direct run (bare POST), p50', p50Ms: rawRatioP50, p95Ms: '', p99Ms: '' },
      ];
      return { rows, figures: { samples, integrations, tools: toolCount, ...s, ratio: { p50: ratioP50, p95: ratioP95, bareP50: rawRatioP50 }, aims: { toolCallOverDirect: 1.2 } } };
    } finally {
      await client?.close().catch(() => undefined);
      await server.stop();
      await vendor.close();
    }
  },
};
