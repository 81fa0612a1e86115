import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/ports.js';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './embedded.js';

describe('embedded PostgreSQL', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ic-embedded-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('says what to do when its port is taken', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const attempt = startEmbeddedPostgres({ dataDir: await tempDir(), port });
      await expect(attempt).rejects.toThrow(EmbeddedPostgresError);
      await expect(attempt).rejects.toThrow(`Port ${port} for the embedded PostgreSQL is taken: stop what uses it or set EMBEDDED_PG_PORT`);
    } finally {
      blocker.close();
    }
  });

  it('keeps data across restarts, refuses a data dir in use, and lets the CLI reuse it', async () => {
    const dataDir = await tempDir();
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      await client.query('CREATE TABLE kept (v text)');
      await client.query(`INSERT INTO kept VALUES ('still here')`);
      await client.end();

      await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(/is in use by another PostgreSQL .*stop that server or point DATA_DIR elsewhere/);
      const reused = await startEmbeddedPostgres({ dataDir, port: await freePort(), reuseRunning: true });
      expect(reused.url).toBe(first.url);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      expect((await client.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
      await client.end();
    } finally {
      await second.stop();
    }
  });

  it('stops "immediate" (a crash to PostgreSQL) and comes back on the same files and port, committed rows intact', async () => {
    const dataDir = await tempDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE crashed (v text)');
    await client.query(`INSERT INTO crashed VALUES ('committed')`);
    // Immediate mode drops connections without a goodbye: the client sees its socket end.
    client.on('error', () => undefined);
    await first.stop('immediate');
    await client.end().catch(() => undefined);
    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(second.url).toBe(first.url);
      const again = new pg.Client({ connectionString: second.url });
      await again.connect();
      expect((await again.query('SELECT v FROM crashed')).rows).toEqual([{ v: 'committed' }]);
      await again.end();
    } finally {
      await second.stop('fast');
    }
  });
});
