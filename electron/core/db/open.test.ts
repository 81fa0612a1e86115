import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from './open.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-open-'));
  // A data folder that already exists with wide permissions (issue 20 §7.7).
  await chmod(dir, 0o755);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe.skipIf(process.platform === 'win32')('cache files on disk', () => {
  it('creates the database, -wal and -shm files readable by the user alone', async () => {
    const file = path.join(dir, 'cache-1.sqlite');
    const db = await openCacheDatabase(file);
    db.exec('CREATE TABLE t (x TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run('partner data');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(await mode(f), f).toBe(0o600);
    db.close();
  });

  it('tightens files an older version left readable by others', async () => {
    const file = path.join(dir, 'cache-2.sqlite');
    const first = await openCacheDatabase(file);
    first.close();
    await chmod(file, 0o644);
    await writeFile(`${file}-wal`, '');
    await chmod(`${file}-wal`, 0o666);
    const db = await openCacheDatabase(file);
    expect(await mode(file)).toBe(0o600);
    expect(await mode(`${file}-wal`)).toBe(0o600);
    db.close();
  });
});
