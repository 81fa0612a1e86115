import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateBucketOf } from './auth.js';
import { startFakeSyncro, type FakeSyncro } from '../integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../integrations/syncro/index.js';
import { createCatalogWorld, validSettings, type CatalogWorld, type WorldUser } from '../test/catalogWorld.js';

// Issue 25: the MCP endpoint driven by the official SDK's Client over Streamable HTTP against the
// real server (listening on loopback), PostgreSQL and the Syncro fake, which counts the comments it
// accepted. Partner A has Syncro and Dataforth mapped to its customer; partner B has its own.

const syncroToken = 'mcp-syncro-token-long-enough';
let fake: FakeSyncro;
let plugin: SyncroPlugin;
let w: CatalogWorld;
let baseUrl = '';
let dataforth = 0;
const tokens: Record<string, string> = {};
const opened: Client[] = [];

async function makeToken(user: WorldUser, body: Record<string, unknown>) {
  const res = await w.request('POST', '/api/access-tokens', user, { name: 'Test assistant', expiresInDays: 30, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; token: string };
}

async function connect(token: string | undefined): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {});
  await client.connect(transport);
  opened.push(client);
  return client;
}

/** The stdio bridge as an MCP client launches it: a child process, the token in its environment. */
async function connectStdio(token: string | undefined): Promise<{ client: Client; stderr: () => string }> {
  const env: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'IC_ACCESS_TOKEN'));
  if (token) env.IC_ACCESS_TOKEN = token;
  const transport = new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', 'server/mcp/stdio.ts', '--server', baseUrl], env, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const client = new Client({ name: 'mcp-stdio-test', version: '1.0.0' });
  opened.push(client);
  await client.connect(transport);
  return { client, stderr: () => err };
}

const comments = () => fake.writeCount({ route: 'comment', tenant: 'acme' });
const resourceText = (result: ReadResourceResult) => result.contents.map((c) => ('text' in c ? c.text : '')).join('');
const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

beforeAll(async () => {
  fake = await startFakeSyncro({ rateLimitPerMinute: null });
  fake.addTenant('acme', {
    tokens: [{ token: syncroToken }],
    customers: 3,
    tickets: 0,
    customerNames: { 1: 'DATAFORTH CORPORATION' },
    ticketSpecs: [{ customerId: 1, subject: 'Nightly backup failing on DF-FS01', status: 'In Progress' }],
  });
  plugin = createSyncroPlugin({ checkTimeoutMs: 3_000, http: { retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  w = await createCatalogWorld({ plugins: [plugin], env: { SYNCRO_BASE_URL: fake.baseUrl, INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', MCP_REQUESTS_PER_MINUTE: '1000' } });
  baseUrl = await w.server.app.listen({ host: '127.0.0.1', port: 0 });
  expect((await w.request('POST', '/api/integrations/syncro/configure', w.a.admin, { settings: { subdomain: 'acme', api_token: syncroToken } })).statusCode).toBe(201);
  expect((await w.request('POST', '/api/integrations/testvendor/configure', w.b.admin, { settings: validSettings() })).statusCode).toBe(201);
  dataforth = (await w.request('POST', '/api/clients', w.a.admin, { name: 'Dataforth Corp.' })).json().id;
  expect((await w.request('POST', '/api/integrations/syncro/mappings', w.a.admin, { clientId: dataforth, externalOrgId: '1', externalOrgName: 'DATAFORTH CORPORATION' })).statusCode).toBe(201);
  await w.request('POST', '/api/clients', w.b.admin, { name: 'Only B Ltd' });
  tokens.adminRw = (await makeToken(w.a.admin, { mode: 'read_write' })).token;
  tokens.adminRo = (await makeToken(w.a.admin, { mode: 'read_only' })).token;
  tokens.tech = (await makeToken(w.a.tech, { mode: 'read_only' })).token;
  tokens.otherAdmin = (await makeToken(w.b.admin, { mode: 'read_write' })).token;
}, 60_000);
afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined);
  await w?.close();
  await plugin?.close();
  await fake?.close();
});

describe('personal access tokens', () => {
  it('are made read-write by partner admins only, never for the platform operator, and listed without the secret', async () => {
    const tech = await w.request('POST', '/api/access-tokens', w.a.tech, { name: 'x', expiresInDays: 5, mode: 'read_write' });
    expect(tech.statusCode).toBe(403);
    expect(tech.json().error.fields).toHaveProperty('mode');
    expect((await w.request('POST', '/api/access-tokens', w.dev.admin, { name: 'x', expiresInDays: 5, mode: 'read_only' })).statusCode).toBe(403);
    const capped = await w.request('POST', '/api/access-tokens', w.a.admin, { name: 'x', expiresInDays: 366, mode: 'read_only' });
    expect(capped.statusCode).toBe(400);
    expect(capped.json().error.fields).toHaveProperty('expiresInDays');
    const unknown = await w.request('POST', '/api/access-tokens', w.a.admin, { name: 'x', expiresInDays: 5, mode: 'read_only', allowedActions: ['syncro.tickets.nothing'] });
    expect(unknown.statusCode).toBe(400);
    const list = await w.request('GET', '/api/access-tokens', w.a.admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThanOrEqual(2);
    expect(list.body).not.toContain(tokens.adminRw);
    const stored = await w.server.deps.db.pool.query('SELECT token_hash FROM personal_access_tokens');
    expect(JSON.stringify(stored.rows)).not.toContain(tokens.adminRw?.slice(4));
  });
});

describe('the MCP endpoint', () => {
  it("an admin's read-write token lists the tools available now, with schemas and hints from the actions", async () => {
    const client = await connect(tokens.adminRw);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['syncro.tickets.find', 'syncro.tickets.get', 'syncro.tickets.comment']));
    // Not configured for A: none of testvendor's or MSP360's actions.
    expect(names.every((n) => n.startsWith('syncro.'))).toBe(true);
    const comment = tools.find((t) => t.name === 'syncro.tickets.comment');
    expect(comment?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    expect(comment?.inputSchema.required).toEqual(expect.arrayContaining(['ticketId', 'body']));
    expect(comment?.inputSchema.properties).toHaveProperty('idempotencyKey');
    expect(comment?.description).toMatch(/idempotency key/);
    const find = tools.find((t) => t.name === 'syncro.tickets.find');
    expect(find?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(find?.outputSchema?.type).toBe('object');
  });

  it("finds Dataforth through the resources, its Syncro tickets, and posts one comment: a retry with the key posts nothing more", async () => {
    const client = await connect(tokens.adminRw);
    const clients = await client.readResource({ uri: 'ic://clients' });
    const page = JSON.parse(resourceText(clients));
    const found = page.items.find((c: { name: string }) => c.name === 'Dataforth Corp.');
    expect(found.mappings).toEqual([expect.objectContaining({ integrationKey: 'syncro', externalOrgId: '1' })]);

    const tickets = (await client.callTool({ name: 'syncro.tickets.find', arguments: { clientId: found.id } })) as CallToolResult;
    expect(tickets.isError).toBeFalsy();
    const ticket = (tickets.structuredContent as { tickets: { id: string; subject: string }[] }).tickets[0];
    expect(ticket?.subject).toBe('Nightly backup failing on DF-FS01');

    const start = comments();
    const args = { clientId: found.id, ticketId: ticket?.id, body: 'Backups fixed today', hidden: true, idempotencyKey: 'assistant-intent-0001' };
    const first = (await client.callTool({ name: 'syncro.tickets.comment', arguments: args })) as CallToolResult;
    expect(first.isError, text(first)).toBeFalsy();
    expect(first._meta).toMatchObject({ replayed: false });
    const again = (await client.callTool({ name: 'syncro.tickets.comment', arguments: args })) as CallToolResult;
    expect(again._meta).toMatchObject({ replayed: true, runId: first._meta?.runId });
    expect(again.structuredContent).toEqual(first.structuredContent);
    // The key through _meta names the same intent.
    const { idempotencyKey, ...rest } = args;
    const viaMeta = (await client.callTool({ name: 'syncro.tickets.comment', arguments: rest, _meta: { 'io.integrationcenter/idempotencyKey': idempotencyKey } })) as CallToolResult;
    expect(viaMeta._meta).toMatchObject({ replayed: true });
    expect(comments()).toBe(start + 1);

    // Visible: the interaction log names the token (the Activity tab's assistant filter), the audit the user and token.
    await w.server.interactionLog.flush();
    const activity = await w.request('GET', '/api/integrations/syncro/interactions?via=assistant', w.a.admin);
    expect(activity.statusCode, activity.body).toBe(200);
    const rows = activity.json().items as { actionId: string; viaAssistant: string; method: string }[];
    expect(rows.filter((r) => r.actionId === 'syncro.tickets.comment' && r.method === 'POST')).toHaveLength(1);
    expect(rows.every((r) => r.viaAssistant === 'Test assistant')).toBe(true);
    const audit = await w.server.deps.db.pool.query("SELECT user_id, details FROM integration_audit_logs WHERE action = 'assistant_action' AND partner_id = $1", [w.a.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].user_id).toBe(w.a.admin.id);
    expect(audit.rows[0].details.message).toContain('Test assistant');
  });

  it("a technician's token lists read tools only, and a side-effectful call is refused with nothing sent", async () => {
    const client = await connect(tokens.tech);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const start = comments();
    const refused = (await client.callTool({ name: 'syncro.tickets.comment', arguments: { ticketId: '1', body: 'x', idempotencyKey: 'tech-intent-0001' } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/partner admins/);
    expect(comments()).toBe(start);
  });

  it("an admin's read-only token lists no side effects and is refused one, nothing sent", async () => {
    const client = await connect(tokens.adminRo);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('syncro.tickets.comment');
    const start = comments();
    const refused = (await client.callTool({ name: 'syncro.tickets.comment', arguments: { ticketId: '1', body: 'x' } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/read-only/);
    expect(comments()).toBe(start);
  });

  it("another partner's token sees none of this partner's clients, tools or log rows", async () => {
    const client = await connect(tokens.otherAdmin);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.some((n) => n.startsWith('syncro.'))).toBe(false);
    const clients = JSON.stringify(await client.readResource({ uri: 'ic://clients' }));
    expect(clients).toContain('Only B Ltd');
    expect(clients).not.toContain('Dataforth');
    const log = JSON.stringify(await client.readResource({ uri: 'ic://interactions' }));
    expect(log).not.toContain('syncro');
    const integrations = JSON.parse(resourceText(await client.readResource({ uri: 'ic://integrations' })));
    expect(integrations.items.find((i: { key: string }) => i.key === 'syncro').status).toBe('Not Configured');
    // Calling A's tool by name runs under B: Syncro is not configured there.
    const refused = (await client.callTool({ name: 'syncro.tickets.find', arguments: { clientId: dataforth } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/not configured/);
  });

  it('answers an unknown tool naming it, and arguments that fail the schema with the field names', async () => {
    const client = await connect(tokens.adminRw);
    await expect(client.callTool({ name: 'syncro.tickets.explode', arguments: {} })).rejects.toThrow(/Unknown tool: syncro.tickets.explode/);
    const bad = (await client.callTool({ name: 'syncro.tickets.comment', arguments: { ticketId: 'abc', body: '', colour: 'red', idempotencyKey: 'bad-args-0001' } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/body:/);
    expect(text(bad)).toMatch(/colour: Unknown field/);
    expect(text(bad)).not.toMatch(/at .*\.ts/);
  });

  it('refuses no token, a wrong one, a revoked one at once, and an expired one', async () => {
    await expect(connect(undefined)).rejects.toThrow(/personal access token/);
    await expect(connect(`icp_${'x'.repeat(43)}`)).rejects.toThrow(/not valid/);
    const made = await makeToken(w.a.admin, { mode: 'read_only', name: 'Short lived' });
    const client = await connect(made.token);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect((await w.request('DELETE', `/api/access-tokens/${made.id}`, w.a.admin)).statusCode).toBe(200);
    await expect(client.listTools()).rejects.toThrow(/revoked/);
    // Another user cannot revoke it (nor see it).
    const other = await makeToken(w.a.admin, { mode: 'read_only', name: 'Expiring' });
    expect((await w.request('DELETE', `/api/access-tokens/${other.id}`, w.b.admin)).statusCode).toBe(404);
    await w.server.deps.db.pool.query("UPDATE personal_access_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1", [other.id]);
    await expect(connect(other.token)).rejects.toThrow(/expired/);
  });

  it('a token narrowed to some actions lists and runs only those; a demoted admin\'s read-write token acts as a technician\'s', async () => {
    const narrow = await makeToken(w.a.admin, { mode: 'read_write', name: 'Finder only', allowedActions: ['syncro.tickets.find'] });
    const client = await connect(narrow.token);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['syncro.tickets.find']);
    const refused = (await client.callTool({ name: 'syncro.tickets.get', arguments: { ticketId: '1' } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/not allowed to run syncro.tickets.get/);

    const rw = await makeToken(w.a.admin, { mode: 'read_write', name: 'Before demotion' });
    await w.server.deps.db.pool.query("UPDATE users SET role = 'partner_user' WHERE id = $1", [w.a.admin.id]);
    try {
      // The role is read per request (through the principal cache, whose lifetime the world sets short or off).
      await expect
        .poll(async () => (await (await connect(rw.token)).listTools()).tools.map((t) => t.name), { timeout: 10_000 })
        .not.toContain('syncro.tickets.comment');
    } finally {
      await w.server.deps.db.pool.query("UPDATE users SET role = 'partner_admin' WHERE id = $1", [w.a.admin.id]);
    }
  });

  it('limits requests per token', async () => {
    const made = await makeToken(w.a.admin, { mode: 'read_only', name: 'Chatty' });
    await w.server.deps.db.pool.query("INSERT INTO rate_limit_buckets (bucket, window_start, hits, expires_at) VALUES ($1, now(), 1000, now() + interval '1 minute')", [rateBucketOf(made.token)]);
    await expect(connect(made.token)).rejects.toThrow(/Too many requests/);
  });
});

describe('the stdio bridge (npm run mcp)', () => {
  it('relays an MCP client to /mcp: the same tools, and a retried comment is still one comment', async () => {
    const { client } = await connectStdio(tokens.adminRw);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('syncro.tickets.comment');
    const tickets = (await client.callTool({ name: 'syncro.tickets.find', arguments: { clientId: dataforth } })) as CallToolResult;
    const ticketId = (tickets.structuredContent as { tickets: { id: string }[] }).tickets[0]?.id;
    const start = comments();
    const args = { clientId: dataforth, ticketId, body: 'Posted through the bridge', idempotencyKey: 'bridge-intent-0001' };
    const first = (await client.callTool({ name: 'syncro.tickets.comment', arguments: args })) as CallToolResult;
    expect(first.isError, text(first)).toBeFalsy();
    const again = (await client.callTool({ name: 'syncro.tickets.comment', arguments: args })) as CallToolResult;
    expect(again._meta).toMatchObject({ replayed: true, runId: first._meta?.runId });
    expect(comments()).toBe(start + 1);
    const clients = resourceText(await client.readResource({ uri: 'ic://clients' }));
    expect(clients).toContain('Dataforth Corp.');
  }, 30_000);

  it("refuses a revoked token with the server's words, and a missing one before connecting", async () => {
    const made = await makeToken(w.a.admin, { mode: 'read_only', name: 'Bridge revoked' });
    expect((await w.request('DELETE', `/api/access-tokens/${made.id}`, w.a.admin)).statusCode).toBe(200);
    await expect(connectStdio(made.token)).rejects.toThrow(/revoked/);
    // No token: the bridge says what to set, on stderr, and exits 2 without sending anything.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'IC_ACCESS_TOKEN'));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/mcp/stdio.ts', '--server', baseUrl], { env });
    await expect(run).rejects.toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/Missing IC_ACCESS_TOKEN/) });
  }, 30_000);
});

// Last: it disconnects A's Syncro.
describe('the tool list', () => {
  it('changes for an open client, which is told so, when an integration is disconnected', async () => {
    const client = await connect(tokens.adminRw);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed += 1;
    });
    // The GET stream opens after initialization; give the server's watch a moment to start listening.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('syncro.tickets.find');
    expect((await w.request('DELETE', '/api/integrations/syncro', w.a.admin)).statusCode).toBe(200);
    await expect.poll(() => changed, { timeout: 5_000 }).toBeGreaterThan(0);
    expect((await client.listTools()).tools).toEqual([]);
  });
});
