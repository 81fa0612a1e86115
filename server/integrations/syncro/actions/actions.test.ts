import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition } from '../../actions.js';
import { actionContext, type MappedOrganization } from '../../test/actionContext.js';
import { startReplayServer } from '../../test/replayServer.js';
import { startFakeSyncro, type FakeSyncro } from '../fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../index.js';

const logs = captureLogs();
const token = 'syncro-actions-token';
let fake: FakeSyncro;
let plugin: SyncroPlugin;

// Client 1 (Dataforth) maps to customer 9; client 2 (Harbor) to customers 1 and 2; client 3 to nothing.
const mappings: Record<number, MappedOrganization[]> = {
  1: [{ id: '9', name: 'DATAFORTH CORPORATION', clientName: 'Dataforth Corp.' }],
  2: [
    { id: '1', name: 'Harbor Dental Group', clientName: 'Harbor Dental' },
    { id: '2', name: 'Bluewave Logistics', clientName: 'Harbor Dental' },
  ],
  3: [],
};

beforeAll(async () => {
  fake = await startFakeSyncro({ rateLimitPerMinute: null });
  plugin = createSyncroPlugin({ actionTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

function seed(permissions?: string[]) {
  fake.addTenant('acme', {
    tokens: [{ token, permissions }],
    customers: 12,
    customerNames: { 1: 'Harbor Dental Group', 2: 'Bluewave Logistics', 9: 'DATAFORTH CORPORATION' },
    tickets: 0,
    ticketSpecs: [
      { customerId: 9, subject: 'Nightly backup failing on DF-FS01', status: 'In Progress', createdHoursAgo: 30, comments: [{ body: 'Backup failed again', tech: 'Dana' }] },
      { customerId: 9, subject: 'Add mailbox', status: 'Resolved', createdHoursAgo: 200 },
      { customerId: 1, subject: 'Printer offline', status: 'New', createdHoursAgo: 5 },
      { customerId: 2, subject: 'VPN drops', status: 'New', createdHoursAgo: 50 },
      { customerId: 2, subject: 'Backup tape swap', status: 'New', createdHoursAgo: 1 },
      { customerId: 5, subject: 'Someone else', status: 'New', createdHoursAgo: 2 },
    ],
  });
  fake.resetCounts();
  fake.resetFaults();
}

function action(id: string): ActionDefinition<unknown, unknown> {
  const found = plugin.actions?.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition<unknown, unknown>;
}

/** Runs an action as the service would: input through its schema, output checked against its schema. */
async function run(id: string, input: Record<string, unknown>, settings = { subdomain: 'acme', api_token: token }) {
  const definition = action(id);
  const ctx = actionContext({ settings, log: logs.log, env: { SYNCRO_BASE_URL: fake.baseUrl }, mappings });
  const outcome = await definition.run(ctx, definition.input.parse(input));
  return { ...outcome, output: definition.output.parse(outcome.output) as Record<string, unknown> };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('syncro.tickets.find', () => {
  it("lists the tickets of the client's mapped customers only, newest first, one GET /tickets?customer_id= each", async () => {
    seed();
    const { output } = await run('syncro.tickets.find', { clientId: 2 });
    const tickets = output.tickets as { subject: string; customerName: string; url: string; number: string }[];
    expect(tickets.map((t) => t.subject)).toEqual(['Backup tape swap', 'Printer offline', 'VPN drops']);
    expect(tickets.map((t) => t.customerName)).toEqual(['Bluewave Logistics', 'Harbor Dental Group', 'Bluewave Logistics']);
    expect(tickets[0]?.url).toBe(`${fake.origin}/acme/tickets/5`);
    expect(output.truncated).toBe(false);
    expect(fake.requestCount({ path: '/tickets', tenant: 'acme' })).toBe(2);
  });

  it('passes text and status to Syncro and caps at the limit, saying it truncated', async () => {
    seed();
    expect(((await run('syncro.tickets.find', { clientId: 1, query: 'backup' })).output.tickets as { subject: string }[]).map((t) => t.subject)).toEqual(['Nightly backup failing on DF-FS01']);
    expect(((await run('syncro.tickets.find', { clientId: 1, status: 'Resolved' })).output.tickets as { subject: string }[]).map((t) => t.subject)).toEqual(['Add mailbox']);
    const capped = await run('syncro.tickets.find', { clientId: 2, limit: 2 });
    expect([(capped.output.tickets as unknown[]).length, capped.output.truncated]).toEqual([2, true]);
  });

  it("names the missing permission when Syncro refuses the list with its 401", async () => {
    seed(['Customers - List/Search']);
    const error = await refusal(run('syncro.tickets.find', { clientId: 1 }));
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.message).toContain('Not authorized. Please ask account admin to update your group permissions.');
    expect(error.message).toContain('"Tickets - List/Search"');
  });

  it('refuses a client without a mapping before calling Syncro', async () => {
    seed();
    const error = await refusal(run('syncro.tickets.find', { clientId: 3 }));
    expect(error.code).toBe('CONFLICT');
    expect(fake.requestCount({ tenant: 'acme' })).toBe(0);
  });
});

describe('syncro.tickets.get and syncro.customers.find', () => {
  it('reads one ticket with its comments, and customers by text', async () => {
    seed();
    const { output, ticket } = await run('syncro.tickets.get', { ticketId: '1' });
    // What a ticket link made by hand (and its refresh) stores.
    expect(ticket).toEqual({ integrationKey: 'syncro', ticketId: '1', number: '1001', subject: 'Nightly backup failing on DF-FS01', status: 'In Progress', url: `${fake.origin}/acme/tickets/1` });
    expect(output.ticket).toMatchObject({ id: '1', number: '1001', subject: 'Nightly backup failing on DF-FS01', customerName: 'DATAFORTH CORPORATION', comments: [{ body: 'Backup failed again', tech: 'Dana', hidden: false }] });
    const customers = await run('syncro.customers.find', { query: 'dataforth' });
    expect(customers.output.customers).toEqual([{ id: '9', name: 'DATAFORTH CORPORATION', email: 'it@customer9.example', url: `${fake.origin}/acme/customers/9` }]);
  });

  it('says which ticket Syncro does not have', async () => {
    seed();
    const error = await refusal(run('syncro.tickets.get', { ticketId: '999' }));
    expect([error.code, error.message]).toEqual(['NOT_FOUND', 'Syncro has no ticket 999 in the account "acme"']);
  });
});

describe('syncro.tickets.comment', () => {
  it('posts one comment with the body Syncro documents and returns the ticket for a link', async () => {
    seed();
    const result = await run('syncro.tickets.comment', { clientId: 1, ticketId: '1', subject: 'Update', body: 'Reset the service account password.', hidden: true });
    expect(fake.writeCount({ route: 'comment', tenant: 'acme' })).toBe(1);
    const stored = fake.ticket('acme', 1)?.comments.at(-1);
    expect(stored).toMatchObject({ subject: 'Update', body: 'Reset the service account password.', hidden: true, do_not_email: false });
    expect(result.output.comment).toMatchObject({ id: String(stored?.id), body: 'Reset the service account password.', hidden: true });
    expect(result.ticket).toEqual({ integrationKey: 'syncro', ticketId: '1', number: '1001', subject: 'Nightly backup failing on DF-FS01', status: 'In Progress', url: `${fake.origin}/acme/tickets/1` });
  });

  it("refuses a ticket of another client's customer and writes nothing", async () => {
    seed();
    const error = await refusal(run('syncro.tickets.comment', { clientId: 1, ticketId: '3', body: 'Wrong ticket' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Ticket #1003 belongs to Syncro customer "Harbor Dental Group", which is not mapped to Dataforth Corp.; nothing was sent to Syncro.');
    expect(fake.writeCount()).toBe(0);
    expect(fake.requestCount({ path: '/tickets/3/comment' })).toBe(0);
  });

  it('names "Tickets - Edit" when the token may read but not edit tickets', async () => {
    seed(['Customers - List/Search', 'Tickets - List/Search', 'Tickets - View Details']);
    const error = await refusal(run('syncro.tickets.comment', { clientId: 1, ticketId: '1', body: 'x' }));
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.message).toMatch(/^Syncro refused to add the comment \(HTTP 401\)\. Syncro says: Not authorized\. .* The API token lacks the permission "Tickets - Edit"/);
    expect(fake.writeCount()).toBe(0);
  });

  it('says the token was rejected when /me refuses it too', async () => {
    seed();
    const error = await refusal(run('syncro.tickets.comment', { ticketId: '1', body: 'x' }, { subdomain: 'acme', api_token: 'not-the-token' }));
    expect([error.code, error.message]).toEqual(['VENDOR_ERROR', "Syncro rejected the API token while trying to read the ticket; check the token in the integration's settings."]);
  });

  it("turns Syncro's 422 into VALIDATION_FAILED with Syncro's words (replaying the swagger's example)", async () => {
    const ticket = { id: 4, number: 4, subject: 'Some major problem', customer_id: 1, status: 'New', comments: [] };
    const replay = await startReplayServer({
      'GET /acme/api/v1/tickets/4': { status: 200, json: { ticket } },
      'POST /acme/api/v1/tickets/4/comment': { status: 422, json: { success: false, message: ["Body can't be blank", "Subject can't be blank"] } },
    });
    try {
      const definition = action('syncro.tickets.comment');
      const ctx = actionContext({ settings: { subdomain: 'acme', api_token: token }, log: logs.log, env: { SYNCRO_BASE_URL: `${replay.origin}/{subdomain}/api/v1` } });
      const error = await refusal(definition.run(ctx, definition.input.parse({ ticketId: '4', body: 'x' })));
      expect([error.code, error.message]).toEqual(['VALIDATION_FAILED', "Syncro refused to add the comment. Syncro says: Body can't be blank; Subject can't be blank."]);
      // A write is never sent twice by the vendor client.
      expect(replay.received.filter((r) => r.startsWith('POST'))).toHaveLength(1);
    } finally {
      await replay.close();
    }
  });

  // 429 and 503 say the request was not processed, so the vendor client may resend those; any
  // other failure of a write may have been processed, so it is never sent twice.
  it('is not resent by the vendor client after a 502 (it may have been processed)', async () => {
    seed();
    fake.setFaults({ serverError: { times: 1, status: 502 }, paths: ['/tickets/1/comment'] }, 'acme');
    await expect(run('syncro.tickets.comment', { ticketId: '1', body: 'once' })).rejects.toMatchObject({ name: 'VendorError', kind: 'server_error' });
    expect(fake.requestCount({ path: '/tickets/1/comment' })).toBe(1);
  });
});

describe('syncro.tickets.add_time', () => {
  it('posts a timer entry with start, end and minutes', async () => {
    seed();
    const result = await run('syncro.tickets.add_time', { clientId: 1, ticketId: '1', startAt: '2026-12-06T08:00:00Z', durationMinutes: 45, notes: 'Password reset' });
    expect(fake.ticket('acme', 1)?.ticket_timers).toEqual([expect.objectContaining({ start_time: '2026-12-06T08:00:00.000Z', end_time: '2026-12-06T08:45:00.000Z', notes: 'Password reset' })]);
    expect(result.output.timerEntry).toMatchObject({ ticketId: '1', durationMinutes: 45, notes: 'Password reset' });
    expect(result.ticket?.ticketId).toBe('1');
  });

  it('names "Ticket Timers - Overview" when the token lacks it', async () => {
    seed(['Tickets - View Details', 'Tickets - Edit']);
    const error = await refusal(run('syncro.tickets.add_time', { ticketId: '1', startAt: '2026-12-06T08:00:00Z', durationMinutes: 5 }));
    expect(error.message).toContain('"Ticket Timers - Overview"');
    expect(fake.writeCount()).toBe(0);
  });
});

describe('the API token (a canary)', () => {
  it('appears in no output, error or log line of any Syncro action, however it ends', async () => {
    const canary = 'canary-syncro-token-5f1e9c';
    fake.addTenant('canary', { tokens: [{ token: canary, permissions: ['Customers - List/Search', 'Tickets - View Details'] }], customerNames: { 9: 'DATAFORTH CORPORATION' }, tickets: 0, ticketSpecs: [{ customerId: 9, subject: 'Backup' }] });
    const settings = { subdomain: 'canary', api_token: canary };
    const seen: string[] = [];
    const attempts: [string, Record<string, unknown>][] = [
      ['syncro.customers.find', { query: 'data' }],
      ['syncro.tickets.find', { clientId: 1 }],
      ['syncro.tickets.get', { ticketId: '1' }],
      ['syncro.tickets.comment', { clientId: 1, ticketId: '1', body: 'x' }],
      ['syncro.tickets.add_time', { ticketId: '1', startAt: '2026-12-06T08:00:00Z', durationMinutes: 5 }],
      ['syncro.tickets.get', { ticketId: '404' }],
    ];
    fake.setFaults({ serverError: { times: 1, status: 500 }, paths: ['/customers'] }, 'canary');
    for (const [id, input] of attempts) {
      await run(id, input, settings).then(
        (result) => seen.push(JSON.stringify(result)),
        (error: unknown) => seen.push(String(error), JSON.stringify(error), (error as Error).message),
      );
    }
    expect(seen.length).toBeGreaterThanOrEqual(attempts.length);
    expect(seen.join('\n')).not.toContain(canary);
    expect(logs.text()).not.toContain(canary);
  });
});
