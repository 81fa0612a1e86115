import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Db } from '../../db/pool.js';
import { makePartner } from '../../test/factories.js';
import { createTestServer, testEncryptionKeys, type TestServer } from '../../test/harness.js';
import { parseKeyRing } from '../../secrets/keyRing.js';
import { fileTokenKeysFromRing, issueFileToken, openFileToken } from './fileToken.js';
import { createFilePublisher, publishedFileLifetimeMs } from './publisher.js';

let server: TestServer;
let base: string;
let partnerA: number;
let partnerB: number;
const keys = fileTokenKeysFromRing(parseKeyRing(testEncryptionKeys));
const file = { filename: 'backup-summary.csv', contentType: 'text/csv; charset=utf-8', body: Buffer.from('Client,Jobs\r\nDataforth,3\r\n') };

beforeAll(async () => {
  server = await createTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  server.publishFilesAt(base);
  partnerA = (await makePartner(server.deps.db, { name: 'Files A' })).id;
  partnerB = (await makePartner(server.deps.db, { name: 'Files B' })).id;
});
afterAll(async () => {
  await server.close();
});

async function get(url: string) {
  const res = await request(url);
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

/** A Db that fails the test if anything asks it for a connection. */
const noDatabase = { pool: { connect: () => Promise.reject(new Error('the database was asked')) }, close: async () => undefined } as unknown as Db;

describe('published files', () => {
  it('serve a file once under PUBLIC_BASE_URL as a download, then 410', async () => {
    const published = await server.deps.files?.publish(partnerA, file);
    expect(published?.url).toMatch(new RegExp(`^${base}/files/[A-Za-z0-9_-]{38}\\.[A-Za-z0-9_-]{22}$`));
    expect(Math.abs((published?.expiresAt.getTime() ?? 0) - (Date.now() + publishedFileLifetimeMs))).toBeLessThan(5_000);
    const first = await get(published?.url ?? '');
    expect(first.status).toBe(200);
    expect(first.body.equals(file.body)).toBe(true);
    expect(first.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="backup-summary.csv"',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    const second = await get(published?.url ?? '');
    expect([second.status, second.body.toString()]).toEqual([410, 'This link has expired or was already used.\n']);
    // The body is not kept once handed out.
    const rows = await server.deps.db.pool.query<{ bytes: number; used: boolean; left: number }>('SELECT bytes, used_at IS NOT NULL AS used, length(body) AS left FROM published_files WHERE partner_id = $1', [partnerA]);
    expect(rows.rows).toEqual([{ bytes: file.body.length, used: true, left: 0 }]);
  });

  it('hand a file out once when eight fetches race', async () => {
    const published = await server.deps.files?.publish(partnerA, file);
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => get(published?.url ?? '')))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
  });

  it('refuse a link past its 15 minutes with 410, and prune it', async () => {
    const published = await server.deps.files?.publish(partnerB, file);
    // Time passes: the row's expiry moves 15 minutes and a second into the past.
    await server.deps.db.pool.query("UPDATE published_files SET created_at = created_at - interval '16 minutes', expires_at = expires_at - interval '15 minutes 1 second' WHERE partner_id = $1", [partnerB]);
    expect((await get(published?.url ?? '')).status).toBe(410);
    expect((await server.deps.db.pool.query('SELECT 1 FROM published_files WHERE partner_id = $1', [partnerB])).rowCount).toBe(0);
  });

  it('refuse a forged or altered token with 404 before any database read', async () => {
    const offline = createFilePublisher({ db: noDatabase, publicBaseUrl: base, keys });
    const { token } = issueFileToken(keys, partnerA);
    const [payload, mac] = token.split('.') as [string, string];
    const otherPartner = Buffer.from(payload, 'base64url');
    otherPartner.writeUInt32BE(partnerB, 0);
    const forged = [
      `${payload}.${'A'.repeat(22)}`,
      `${otherPartner.toString('base64url')}.${mac}`,
      issueFileToken(fileTokenKeysFromRing(parseKeyRing(`other:${Buffer.alloc(32, 3).toString('base64')}`)), partnerA).token,
      'not-a-token',
      `${token}x`,
    ];
    for (const t of forged) expect(await offline.fetchOnce(t), t).toEqual({ refused: 'forged' });
    for (const t of forged.slice(0, 2)) expect((await get(`${base}/files/${t}`)).status).toBe(404);
    expect(openFileToken(keys, token)?.partnerId).toBe(partnerA);
  });

  it('are refused without PUBLIC_BASE_URL, and a token of a file never stored is gone, not served', async () => {
    const disabled = createFilePublisher({ db: server.deps.db, publicBaseUrl: undefined, keys });
    expect(disabled.enabled).toBe(false);
    await expect(disabled.publish(partnerA, file)).rejects.toBeInstanceOf(AppError);
    expect((await get(`${base}/files/${issueFileToken(keys, partnerA).token}`)).status).toBe(410);
  });

  it('refuse names and types that could break a header or run in a browser', async () => {
    await expect(server.deps.files?.publish(partnerA, { ...file, filename: 'a"\r\nx.csv' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(server.deps.files?.publish(partnerA, { ...file, contentType: 'text/html\r\nx: y' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
