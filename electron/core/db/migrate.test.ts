import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheSchemaError } from './migrate.js';
import { cacheMigrations, type CacheMigration } from './migrations.js';
import { openCacheDatabase } from './open.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-migrate-'));
  file = path.join(dir, 'cache.sqlite');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const v1 = cacheMigrations[0] as CacheMigration;
const v2: CacheMigration = { version: 2, name: 'draft notes', sql: 'ALTER TABLE drafts ADD COLUMN note TEXT' };
const shipped = cacheMigrations.map((m) => ({ version: m.version, name: m.name }));

describe('cache migrations', () => {
  it('creates the schema once and records each migration', async () => {
    const db = await openCacheDatabase(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['drafts', 'draft_secrets', 'outbox', 'mirror_integrations', 'mirror_audit', 'sync_meta', 'schema_migrations']));
    db.close();
    const again = await openCacheDatabase(file);
    expect(again.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(shipped);
    again.close();
  });

  it('keeps user data across an upgrade', async () => {
    const db = await openCacheDatabase(file, [v1]);
    db.prepare("INSERT INTO drafts (integration_key, kind, state, values_json, created_at, updated_at) VALUES ('syncro', 'configure', 'draft', '{\"subdomain\":\"acme\"}', 'x', 'x')").run();
    db.close();
    const upgraded = await openCacheDatabase(file, [v1, v2]);
    expect(upgraded.prepare('SELECT integration_key, values_json, note FROM drafts').all()).toEqual([
      { integration_key: 'syncro', values_json: '{"subdomain":"acme"}', note: null },
    ]);
    upgraded.close();
  });

  it('refuses a database whose applied migration text changed', async () => {
    (await openCacheDatabase(file, [v1, v2])).close();
    const edited: CacheMigration = { ...v2, sql: 'ALTER TABLE drafts ADD COLUMN note TEXT NOT NULL DEFAULT ""' };
    await expect(openCacheDatabase(file, [v1, edited])).rejects.toThrow(CacheSchemaError);
    await expect(openCacheDatabase(file, [v1, edited])).rejects.toThrow(/differs from the one that was applied/);
  });

  it('accepts the same migration with CRLF line endings', async () => {
    (await openCacheDatabase(file, [v1])).close();
    const crlf: CacheMigration = { ...v1, sql: v1.sql.replace(/\n/g, '\r\n') };
    const db = await openCacheDatabase(file, [crlf]);
    db.close();
  });

  it('refuses a database written by a newer app', async () => {
    (await openCacheDatabase(file, [v1, v2])).close();
    await expect(openCacheDatabase(file, [v1])).rejects.toThrow(/newer version of the app/);
  });

  it('rolls back a failing migration with its bookkeeping', async () => {
    const broken: CacheMigration = { version: 2, name: 'broken', sql: 'CREATE TABLE t (a INTEGER); INSERT INTO nowhere VALUES (1);' };
    await expect(openCacheDatabase(file, [v1, broken])).rejects.toThrow();
    const db = await openCacheDatabase(file, [v1]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(1);
    db.close();
  });
});
