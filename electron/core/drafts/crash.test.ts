import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openCacheDatabase } from '../db/open.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-crash-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const writer = fileURLToPath(new URL('../test/crashWriter.ts', import.meta.url));

it('a process killed mid-write leaves drafts and outbox consistent', async () => {
  const file = path.join(dir, 'cache.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  // Let it run through many transactions, then kill it without warning.
  await new Promise((r) => setTimeout(r, 400));
  child.kill('SIGKILL');
  await once(child, 'exit');

  const db = await openCacheDatabase(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const drafts = db.prepare('SELECT count(*) FROM drafts').pluck().get() as number;
    expect(drafts).toBeGreaterThan(0);
    // Every outbox entry belongs to a queued draft carrying its id, and the reverse.
    const orphanEntries = db.prepare("SELECT count(*) FROM outbox o JOIN drafts d ON d.id = o.draft_id WHERE d.state <> 'queued' OR d.mutation_id <> o.mutation_id").pluck().get();
    const queuedWithoutEntry = db.prepare("SELECT count(*) FROM drafts d WHERE d.state = 'queued' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.mutation_id = d.mutation_id AND o.draft_id = d.id)").pluck().get();
    expect({ orphanEntries, queuedWithoutEntry }).toEqual({ orphanEntries: 0, queuedWithoutEntry: 0 });
    // Mutation ids are never reused: the counter is at or past every id handed out.
    const issued = Number(db.prepare("SELECT value FROM sync_meta WHERE key = 'lastMutationIssued'").pluck().get());
    const maxUsed = db.prepare('SELECT max(mutation_id) FROM drafts').pluck().get() as number;
    expect(issued).toBeGreaterThanOrEqual(maxUsed);
    // Applied drafts hold no secrets.
    expect(db.prepare("SELECT count(*) FROM draft_secrets s JOIN drafts d ON d.id = s.draft_id WHERE d.state = 'applied'").pluck().get()).toBe(0);
  } finally {
    db.close();
  }
});
