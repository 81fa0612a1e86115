import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupSummary } from '../../../../shared/actions/msp360.js';
import { makePartner } from '../../../test/factories.js';
import { createTestServer, type TestServer } from '../../../test/harness.js';
import { renderBackupSummary } from '../../../services/reports/files.js';
import type { ActionDefinition } from '../../actions.js';
import { actionContext } from '../../test/actionContext.js';
import { startFakeSyncro, type FakeSyncro } from '../fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../index.js';

const token = 'syncro-attach-token';
let fake: FakeSyncro;
let plugin: SyncroPlugin;
let server: TestServer;
let partnerId: number;

const report: BackupSummary = {
  clientName: 'Dataforth Corp.',
  companies: ['Dataforth Corp'],
  from: '2026-11-30',
  to: '2026-12-06',
  generatedAt: '2026-12-06T07:00:00.000Z',
  totals: { jobs: 1, successes: 0, failures: 1, dataCopiedBytes: 0 },
  plans: [{ planName: 'Nightly file server', computerName: 'DF-FS01', companyName: 'Dataforth Corp', jobs: 1, successes: 0, failures: 1, dataCopiedBytes: 0, lastRun: { status: 'Error', startedAt: '2026-12-05T22:00:00', errorMessage: 'Access denied' } }],
  text: 'MSP360 backup summary',
};

beforeAll(async () => {
  fake = await startFakeSyncro({ rateLimitPerMinute: null });
  server = await createTestServer({ env: { SYNCRO_BASE_URL: fake.baseUrl } });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  server.publishFilesAt(`http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`);
  partnerId = (await makePartner(server.deps.db, { name: 'Attach partner' })).id;
  plugin = createSyncroPlugin({ actionTimeoutMs: 10_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 } } });
});
afterAll(async () => {
  await plugin.close();
  await server.close();
  await fake.close();
});

function seed(permissions?: string[]) {
  fake.addTenant('acme', { tokens: [{ token, permissions }], customerNames: { 9: 'DATAFORTH CORPORATION' }, tickets: 0, ticketSpecs: [{ customerId: 9, subject: 'Nightly backup failing on DF-FS01' }, { customerId: 2, subject: 'Other client' }] });
  fake.resetCounts();
}

const attach = () => plugin.actions?.find((a) => a.id === 'syncro.tickets.attach_report') as ActionDefinition<unknown, unknown>;

function ctx() {
  return actionContext({
    settings: { subdomain: 'acme', api_token: token },
    log: server.logs.log,
    env: { SYNCRO_BASE_URL: fake.baseUrl },
    partnerId,
    mappings: { 1: [{ id: '9', name: 'DATAFORTH CORPORATION', clientName: 'Dataforth Corp.' }] },
    // As the action service provides it: this partner's files on the server's publisher.
    publishFile: (file) => {
      if (!server.deps.files) throw new Error('no publisher');
      return server.deps.files.publish(partnerId, file);
    },
  });
}

describe('syncro.tickets.attach_report', () => {
  it('is unavailable without PUBLIC_BASE_URL, saying what to set', async () => {
    const config = ctx().config;
    expect(await attach().availability?.({ partnerId, settings: {}, config, hasPublicBaseUrl: false })).toEqual({ code: 'needs_public_url', message: expect.stringContaining('PUBLIC_BASE_URL') });
    expect(await attach().availability?.({ partnerId, settings: {}, config, hasPublicBaseUrl: true })).toBeNull();
  });

  it('publishes the CSV and HTML, Syncro fetches each once, and a second fetch of a link gets 410', async () => {
    seed();
    const outcome = await attach().run(ctx(), attach().input.parse({ clientId: 1, ticketId: '1', report }));
    const expected = renderBackupSummary(report, ['csv', 'html']);
    expect(outcome.output).toEqual(attach().output.parse(outcome.output));
    expect((outcome.output as { files: unknown }).files).toEqual(expected.map((f) => ({ filename: f.filename, format: f.format, bytes: f.body.length })));
    expect(outcome.ticket).toMatchObject({ integrationKey: 'syncro', ticketId: '1', subject: 'Nightly backup failing on DF-FS01' });
    const attachments = fake.ticket('acme', 1)?.attachments ?? [];
    expect(attachments.map((a) => [a.filename, a.state, a.status, a.contentType])).toEqual(expected.map((f) => [f.filename, 'stored', 200, f.contentType]));
    expect(attachments.map((a) => a.body.toString('utf8'))).toEqual(expected.map((f) => f.body.toString('utf8')));
    expect(fake.writeCount({ route: 'attach_file_url' })).toBe(1);
    for (const a of attachments) {
      expect(a.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${(server.app.server.address() as AddressInfo).port}/files/`));
      const again = await request(a.url);
      await again.body.dump();
      expect(again.statusCode).toBe(410);
    }
  });

  it("refuses another client's ticket before publishing anything", async () => {
    seed();
    const before = (await server.deps.db.pool.query('SELECT count(*)::int AS n FROM published_files')).rows[0] as { n: number };
    await expect(attach().run(ctx(), attach().input.parse({ clientId: 1, ticketId: '2', report }))).rejects.toMatchObject({ code: 'CONFLICT' });
    const after = (await server.deps.db.pool.query('SELECT count(*)::int AS n FROM published_files')).rows[0] as { n: number };
    expect(after.n).toBe(before.n);
    expect(fake.writeCount()).toBe(0);
  });

  it('names "Tickets - Edit" when Syncro refuses the attachment', async () => {
    seed(['Tickets - View Details']);
    await expect(attach().run(ctx(), attach().input.parse({ clientId: 1, ticketId: '1', report, formats: ['csv'] }))).rejects.toMatchObject({
      code: 'VENDOR_ERROR',
      message: expect.stringContaining('"Tickets - Edit"'),
    });
    expect(fake.ticket('acme', 1)?.attachments).toEqual([]);
  });

  it('marks the attachment failed when the fake cannot fetch the URL, as Syncro would', async () => {
    seed();
    const broken = actionContext({ settings: { subdomain: 'acme', api_token: token }, log: server.logs.log, env: { SYNCRO_BASE_URL: fake.baseUrl }, partnerId, publishFile: async () => ({ url: 'http://127.0.0.1:1/files/nothing-here', expiresAt: new Date() }) });
    await attach().run(broken, attach().input.parse({ ticketId: '1', report, formats: ['csv'] }));
    expect(fake.ticket('acme', 1)?.attachments.map((a) => a.state)).toEqual(['failed']);
  });
});
