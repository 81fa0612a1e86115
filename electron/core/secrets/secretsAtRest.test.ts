import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChange, getIntegration } from '../cache/pulledCatalog.js';
import { reviewDraft, saveDraft } from '../drafts/drafts.js';
import { queueDraft, recordResult } from '../drafts/outbox.js';
import { integrationChange, syncroDetail, tempCache } from '../test/fixtures.js';
import { seedMirror } from '../test/seed.js';
import { keyFileSecretBox } from './secretBox.js';

let cache: Awaited<ReturnType<typeof tempCache>>;
beforeEach(async () => {
  cache = await tempCache();
});
afterEach(() => cache.cleanup());

/** Every byte SQLite keeps for this database: the main file, the WAL and the shared memory. */
async function cacheBytes(): Promise<Buffer> {
  const names = (await readdir(cache.dir)).filter((n) => n.startsWith('cache.sqlite'));
  return Buffer.concat(await Promise.all(names.map((n) => readFile(path.join(cache.dir, n)))));
}

function contains(bytes: Buffer, needle: string): boolean {
  return bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'));
}

describe('secrets at rest', () => {
  it('a secret typed into a draft never reaches the SQLite files in plain text, and is gone once applied', async () => {
    const box = await keyFileSecretBox(cache.dir);
    const needle = 'sk-live-NEEDLE-7f3a9c2e';
    seedMirror(cache.db, syncroDetail({ version: 1 }));
    const draft = saveDraft(cache.db, box, { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'acme', api_token: needle } });
    reviewDraft(cache.db, box, draft.id);
    queueDraft(cache.db, draft.id);
    expect(contains(await cacheBytes(), needle)).toBe(false);
    const sealed = cache.db.prepare('SELECT ciphertext FROM draft_secrets').pluck().get() as Buffer;
    expect(box.decrypt(sealed, `draft:${draft.id}:api_token`)).toBe(needle);
    // Bound to its row: moved to another draft or field it does not open.
    expect(() => box.decrypt(sealed, `draft:${draft.id + 1}:api_token`)).toThrow();

    recordResult(cache.db, { id: 1, result: 'applied', version: 2 });
    cache.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = await cacheBytes();
    expect(contains(bytes, needle)).toBe(false);
    expect(bytes.includes(sealed)).toBe(false);
  });

  it('a secret value sent by a server by mistake is reduced to "set" before it is stored', async () => {
    const leaked = 'server-LEAK-4242-abcd';
    const detail = syncroDetail({ version: 3, settings: { subdomain: 'acme', api_token: leaked } });
    cache.db.transaction(() => applyChange(cache.db, integrationChange(detail, 5)))();
    expect(getIntegration(cache.db, 'syncro')?.settings?.api_token).toEqual({ isSet: true, last4: null });
    expect(contains(await cacheBytes(), leaked)).toBe(false);
  });

  it('keeps the browser-mode key in a file only the user can read, stable across starts', async () => {
    const first = await keyFileSecretBox(cache.dir);
    const sealed = first.encrypt('value', 'ctx');
    expect((await stat(path.join(cache.dir, 'draft-secrets.key'))).mode & 0o777).toBe(0o600);
    expect((await keyFileSecretBox(cache.dir)).decrypt(sealed, 'ctx')).toBe('value');
  });
});
