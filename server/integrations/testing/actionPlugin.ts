import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineAction } from '../actions.js';
import { VendorError, kindForStatus } from '../http/errors.js';
import { currentInteraction, type InteractionScope } from '../http/interactionScope.js';
import type { IntegrationPlugin, PluginSettings } from '../types.js';
import { createControllablePlugin, type TestVendor } from './controllablePlugin.js';

/**
 * A plugin with actions (issue 15) whose vendor is a real HTTP server on loopback that counts
 * every call it receives: tests and the benchmark prove "the vendor was called exactly once"
 * by asking the vendor, not a mock. Never in shippedPlugins.
 *
 * The vendor: `GET /tickets?org=<id>&q=` lists tickets of organizations, `GET /tickets/:id`
 * reads one, `POST /tickets/:id/comment` adds a comment (answers `{comment: {id}}`). Every
 * request needs `Authorization: Bearer <api_token>`; a refused token is echoed back in the
 * error body (a careless vendor), so tests can prove the server scrubs it.
 */
export interface LoopbackVendor {
  url: string;
  /** Requests received, by `METHOD path` (no query string). */
  calls: Map<string, number>;
  /** Comments posted, in order. */
  comments: { ticketId: string; body: string; id: number }[];
  /** Tokens accepted; 'any' accepts all. */
  acceptedTokens: Set<string> | 'any';
  /** Every answer waits this long first (a slow vendor, or a run held open by a test). */
  delayMs: number;
  /** The next requests fail with this status and message (then clear it yourself). */
  failWith: { status: number; message: string } | null;
  /** The plugin's own availability check throws (fail closed). */
  availabilityThrows: boolean;
  /** The interaction scope each vendor call was made under (what the interaction log records). */
  scopes: (InteractionScope | undefined)[];
  /** How long each vendor call took as the plugin saw it, ms (the benchmark subtracts it). */
  callMs: number[];
  /** How many requests hit a path. */
  count(method: string, path: string): number;
  close(): Promise<void>;
}

export const loopbackTickets: Record<string, { number: string; subject: string; status: string; org: string }> = {
  '101': { number: 'T-101', subject: 'Backups failing at Dataforth', status: 'Open', org: 'org-1' },
  '102': { number: 'T-102', subject: 'New laptop', status: 'Resolved', org: 'org-1' },
  '201': { number: 'T-201', subject: 'Printer', status: 'Open', org: 'org-2' },
};

export async function startLoopbackVendor(): Promise<LoopbackVendor> {
  let nextComment = 5000;
  const vendor: LoopbackVendor = {
    url: '',
    calls: new Map(),
    comments: [],
    acceptedTokens: 'any',
    delayMs: 0,
    failWith: null,
    availabilityThrows: false,
    scopes: [],
    callMs: [],
    count: (method, path) => vendor.calls.get(`${method} ${path}`) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const ticketView = (id: string) => {
    const t = loopbackTickets[id];
    return t ? { id, number: t.number, subject: t.subject, status: t.status, org: t.org, url: `${vendor.url}/tickets/${id}` } : undefined;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://vendor');
    const key = `${req.method} ${url.pathname}`;
    vendor.calls.set(key, (vendor.calls.get(key) ?? 0) + 1);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const answer = (status: number, json: unknown) => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(json));
        }, vendor.delayMs);
      };
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (vendor.acceptedTokens !== 'any' && !vendor.acceptedTokens.has(token)) return answer(401, { error: `Token ${token} is not valid` });
      if (vendor.failWith) return answer(vendor.failWith.status, { error: vendor.failWith.message });
      const ticket = /^\/tickets\/([^/]+)(\/comment)?$/.exec(url.pathname);
      if (req.method === 'GET' && url.pathname === '/tickets') {
        const orgs = url.searchParams.getAll('org');
        const q = (url.searchParams.get('q') ?? '').toLowerCase();
        const items = Object.keys(loopbackTickets).map(ticketView).filter((t) => t && orgs.includes(t.org) && t.subject.toLowerCase().includes(q));
        return answer(200, { tickets: items });
      }
      if (req.method === 'GET' && ticket && !ticket[2]) {
        const view = ticketView(ticket[1] as string);
        return view ? answer(200, { ticket: view }) : answer(404, { error: 'Ticket not found' });
      }
      if (req.method === 'POST' && ticket?.[2]) {
        const view = ticketView(ticket[1] as string);
        if (!view) return answer(404, { error: 'Ticket not found' });
        const parsed = JSON.parse(body || '{}') as { body?: string };
        const comment = { ticketId: view.id, body: String(parsed.body ?? ''), id: nextComment++ };
        vendor.comments.push(comment);
        return answer(200, { comment: { id: comment.id, body: comment.body }, ticket: view });
      }
      return answer(404, { error: 'No such endpoint' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vendor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return vendor;
}

const ticketSchema = z.object({ id: z.string(), number: z.string(), subject: z.string(), status: z.string(), url: z.string() });
type LoopbackTicket = z.infer<typeof ticketSchema>;
const asExternal = (key: string, t: LoopbackTicket) => ({ integrationKey: key, ticketId: t.id, number: t.number, subject: t.subject, status: t.status, url: t.url });

async function call(vendor: LoopbackVendor, vendorName: string, settings: PluginSettings, signal: AbortSignal, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  vendor.scopes.push(currentInteraction());
  const started = performance.now();
  const base = String(settings.base_url ?? '');
  const res = await fetch(`${base}${path}`, {
    method,
    signal,
    headers: { authorization: `Bearer ${String(settings.api_token ?? '')}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { error?: string };
  vendor.callMs.push(performance.now() - started);
  if (!res.ok) throw new VendorError(kindForStatus(res.status), { vendor: vendorName, operation: `${method} ${path.split('?')[0]}`, status: res.status, vendorMessage: json.error });
  return json;
}

/**
 * The controllable test plugin (key `key`) plus five actions against a loopback vendor:
 * `tickets.find` (read, client-scoped), `tickets.get` (read), `tickets.comment` (side-effectful,
 * client-scoped), `reports.attach` (side-effectful, needs a public base URL), `status.check`
 * (read; its availability check throws when the vendor says so).
 */
export function createActionPlugin(vendor: LoopbackVendor, options: { key?: string; health?: TestVendor } = {}): { plugin: IntegrationPlugin; health: TestVendor } {
  const key = options.key ?? 'ticketdesk';
  const { plugin, vendor: health } = createControllablePlugin({ key, name: 'Ticket Desk', provider: 'Ticket Desk Ltd', category: 'Psa', description: 'Tickets over loopback', ...(options.health ? { vendor: options.health } : {}) });
  const name = 'Ticket Desk';
  const actions = [
    defineAction({
      id: `${key}.tickets.find`,
      label: 'Find tickets',
      description: "Tickets of the client's mapped organizations",
      sideEffectful: false,
      clientScoped: true,
      input: z.strictObject({ clientId: z.coerce.number().int().positive(), query: z.string().max(200).default('') }),
      output: z.object({ tickets: z.array(ticketSchema) }),
      async run(ctx, input) {
        const orgs = await ctx.mappedOrganizations(input.clientId);
        const qs = new URLSearchParams([...orgs.map((o): [string, string] => ['org', o.id]), ['q', input.query]]);
        const json = (await call(vendor, name, ctx.settings, ctx.signal, 'GET', `/tickets?${qs}`)) as { tickets: LoopbackTicket[] };
        return { output: { tickets: json.tickets.map((t) => ticketSchema.parse(t)) } };
      },
    }),
    defineAction({
      id: `${key}.tickets.get`,
      label: 'Read a ticket',
      description: 'One ticket by id',
      sideEffectful: false,
      clientScoped: false,
      input: z.strictObject({ ticketId: z.string().regex(/^\d+$/, 'Ticket id is a number') }),
      output: z.object({ ticket: ticketSchema }),
      async run(ctx, input) {
        const json = (await call(vendor, name, ctx.settings, ctx.signal, 'GET', `/tickets/${input.ticketId}`)) as { ticket: LoopbackTicket };
        const ticket = ticketSchema.parse(json.ticket);
        return { output: { ticket }, ticket: asExternal(key, ticket) };
      },
    }),
    defineAction({
      id: `${key}.tickets.comment`,
      label: 'Comment on a ticket',
      description: 'Adds a comment to a ticket',
      sideEffectful: true,
      clientScoped: true,
      input: z.strictObject({ clientId: z.coerce.number().int().positive().optional(), ticketId: z.string().regex(/^\d+$/, 'Ticket id is a number'), body: z.string().trim().min(1, 'Write the comment') }),
      output: z.object({ commentId: z.string(), ticket: ticketSchema }),
      async run(ctx, input) {
        if (input.clientId !== undefined) await ctx.mappedOrganizations(input.clientId);
        const json = (await call(vendor, name, ctx.settings, ctx.signal, 'POST', `/tickets/${input.ticketId}/comment`, { body: input.body })) as { comment: { id: number }; ticket: LoopbackTicket };
        const ticket = ticketSchema.parse(json.ticket);
        return { output: { commentId: String(json.comment.id), ticket }, ticket: asExternal(key, ticket) };
      },
    }),
    defineAction({
      id: `${key}.reports.attach`,
      label: 'Attach a report',
      description: 'Publishes a file the vendor fetches',
      sideEffectful: true,
      clientScoped: false,
      input: z.strictObject({ ticketId: z.string() }),
      output: z.object({ url: z.string() }),
      availability: (ctx) => (ctx.hasPublicBaseUrl ? null : { code: 'needs_public_url', message: 'Set PUBLIC_BASE_URL so the vendor can fetch the file' }),
      async run(ctx) {
        const file = await ctx.publishFile({ filename: 'r.csv', contentType: 'text/csv', body: Buffer.from('a,b\n') });
        return { output: { url: file.url } };
      },
    }),
    defineAction({
      id: `${key}.status.check`,
      label: 'Check status',
      description: "An action whose own availability check may throw",
      sideEffectful: false,
      clientScoped: false,
      input: z.strictObject({}),
      output: z.object({ ok: z.boolean() }),
      availability() {
        if (vendor.availabilityThrows) throw new Error('availability exploded');
        return null;
      },
      async run() {
        return { output: { ok: true } };
      },
    }),
  ];
  return { plugin: { ...plugin, actions }, health };
}
