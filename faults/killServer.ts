import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { mappingSchema } from '../shared/clients.js';
import { AppError } from '../shared/errors.js';
import { getCachedRead } from '../electron/core/cache/serverReads.js';
import { getMetaNumber } from '../electron/core/cache/syncMeta.js';
import { openCore, type CoreHandle } from '../electron/core/test/syncHarness.js';
import { createDb, type Db } from '../server/db/pool.js';
import { startFakeVendors } from '../server/integrations/fakeVendors.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import { checkPushHistory, type ConfigChange, type MappingChange, type ServerTruth } from './lib/pushHistory.js';
import { seededRandom, type Scenario, type ScenarioOptions, type ScenarioReport } from './lib/scenario.js';
import { ServerProcess } from './lib/serverProcess.js';

/**
 * Issue 20 §1: a real desktop core pushes a stream of configuration drafts (two integrations)
 * and mapping edits while the real API server — a child process on PostgreSQL — is SIGKILLed at
 * seeded-random instants (some at random, some right as a push or a mapping batch is on the
 * wire), restarted on the same port, and the core retries by itself. Then the whole history is
 * checked against the database: each change applied exactly once, or still pending, or reported
 * as a conflict or rejection; one audit row per applied change; nothing the core never sent.
 */

/** The two integrations the drafts change, each through a field whose values only one change uses. */
const targets = [
  {
    key: 'msp360',
    field: 'api_login',
    configure: (v: string) => ({ api_login: v, api_password: 'fault-suite-password', enabled: true }),
    reconfigure: (v: string) => ({ api_login: v, enabled: true }),
  },
  {
    key: 'huntress',
    field: 'subdomain',
    configure: (v: string) => ({ subdomain: v, api_key: 'fault-suite-key', api_secret: 'fault-suite-secret', key_type: 'account' }),
    reconfigure: (v: string) => ({ subdomain: v, api_key: 'fault-suite-key', key_type: 'account' }),
  },
] as const;
const mappingKey = 'msp360';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The core's fetch, watched: what goes out (so a kill can land on a push) and every 5xx that comes back. */
class ObservedFetch {
  readonly statuses = new Map<number, number>();
  readonly fiveHundreds: string[] = [];
  #waiters: { pattern: RegExp; resolve: () => void }[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    for (const w of this.#waiters.filter((w) => w.pattern.test(url))) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve();
    }
    const res = await fetch(input, init);
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) this.fiveHundreds.push(`${res.status} ${new URL(url).pathname}`);
    return res;
  };

  /** Resolves when a request matching `pattern` starts, or after `timeoutMs`. */
  next(pattern: RegExp, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.#waiters.push(waiter);
    });
  }
}

/** A partner admin at the desktop: keeps one draft per integration in flight and maps organizations. */
class Workload {
  readonly configChanges: ConfigChange[] = [];
  readonly mappingChanges: MappingChange[] = [];
  #open = new Map<string, ConfigChange>();
  #seq = 0;
  #deleted = new Set<string>();
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();
  /** Thrown by the core where a person would see an error (they are part of the history, not the scenario's failure). */
  readonly coreErrors: string[] = [];

  constructor(
    private readonly h: CoreHandle,
    private readonly rand: () => number,
    private readonly clientIds: number[],
  ) {}

  start(): void {
    this.#loop = (async () => {
      while (!this.#stopped) {
        for (const t of targets) this.#stepConfig(t);
        if (this.rand() < 0.12) await this.#stepMapping();
        await sleep(30 + this.rand() * 90);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }

  #stepConfig(t: (typeof targets)[number]): void {
    const drafts = this.h.core.services.drafts;
    const open = this.#open.get(t.key);
    try {
      if (open) {
        const draft = drafts.get(open.draftId);
        if (draft.state === 'queued') return;
        if (draft.state === 'applied') {
          open.outcome = 'applied';
        } else if (draft.state === 'conflict') {
          // The user resolves: half the time keeping the server's value, else sending theirs again.
          if (this.rand() < 0.5) {
            open.outcome = 'dropped';
            void drafts.resolve({ id: draft.id, outcome: 'theirs' }).catch((error: unknown) => this.coreErrors.push(`resolve: ${String(error)}`));
          } else {
            const choices = Object.fromEntries((draft.merge?.overlapping ?? []).map((f) => [f, 'mine' as const]));
            void drafts.resolve({ id: draft.id, outcome: 'mine', choices }).catch((error: unknown) => this.coreErrors.push(`resolve: ${String(error)}`));
            return;
          }
        } else if (draft.state === 'rejected') {
          open.outcome = 'rejected';
          drafts.discard(draft.id);
        } else {
          return; // draft/reviewed: not ours to move (never happens with review done at once)
        }
        this.#open.delete(t.key);
      }
      const version = this.h.core.services.catalog.get(t.key).detail.state.version;
      const value = `k${++this.#seq}-${t.key === 'msp360' ? 'login' : 'sub'}`;
      const kind = version === null ? 'configure' : 'reconfigure';
      const saved = drafts.save({ integrationKey: t.key, kind, values: kind === 'configure' ? t.configure(value) : t.reconfigure(value) });
      drafts.review(saved.id);
      const change: ConfigChange = { integrationKey: t.key, field: t.field, value, draftId: saved.id, outcome: 'pending' };
      this.#open.set(t.key, change);
      this.configChanges.push(change);
      void drafts.applyDraft(saved.id).catch((error: unknown) => {
        change.outcome = 'failed';
        this.coreErrors.push(`apply draft ${saved.id}: ${String(error)}`);
      });
    } catch (error) {
      this.coreErrors.push(`${t.key} draft: ${String(error)}`);
    }
  }

  async #stepMapping(): Promise<void> {
    const cache = this.h.core.session.requireCache().db;
    const mapped = (getCachedRead(cache, `mappings:${mappingKey}`, z.array(mappingSchema))?.value ?? [])
      .map((m) => m.externalOrgId)
      .filter((org) => org.startsWith('org-') && !this.#deleted.has(org));
    const remove = mapped.length > 0 && this.rand() < 0.35;
    const org = remove ? (mapped[Math.floor(this.rand() * mapped.length)] as string) : `org-${++this.#seq}`;
    const clientId = this.clientIds[Math.floor(this.rand() * this.clientIds.length)] as number;
    const change: MappingChange = { externalOrgId: org, op: remove ? 'delete' : 'create', outcome: 'pending' };
    if (remove) this.#deleted.add(org);
    this.mappingChanges.push(change);
    try {
      const out = await this.h.core.services.mappings.apply(
        remove ? { key: mappingKey, delete: [org] } : { key: mappingKey, create: [{ clientId, externalOrgId: org, externalOrgName: `Org ${org}` }] },
      );
      if (out.created + out.deleted > 0) change.outcome = 'applied';
      else if (out.queued === 0) {
        change.outcome = 'failed';
        change.detail = 'the core sent nothing and queued nothing';
      }
    } catch (error) {
      change.outcome = 'failed';
      change.detail = error instanceof AppError ? `${error.code}: ${error.message}` : String(error);
    }
  }

  /** Each change's last word from the core, read from its cache once the pushes are done. */
  settle(): void {
    const drafts = this.h.core.services.drafts;
    for (const c of this.configChanges) {
      if (c.outcome === 'dropped' || c.outcome === 'rejected' || c.outcome === 'failed') continue;
      try {
        const state = drafts.get(c.draftId).state;
        c.outcome = state === 'applied' || state === 'conflict' || state === 'rejected' ? state : 'pending';
      } catch {
        c.outcome = 'failed';
      }
    }
    const db = this.h.core.session.requireCache().db;
    const row = db.prepare(
      'SELECT state FROM mapping_drafts WHERE integration_key = ? AND external_org_id = ? AND (client_id IS NULL) = ? ORDER BY id DESC LIMIT 1',
    );
    for (const m of this.mappingChanges) {
      if (m.outcome !== 'pending') continue;
      const state = (row.get(mappingKey, m.externalOrgId, m.op === 'delete' ? 1 : 0) as { state: string } | undefined)?.state;
      if (state === 'applied' || state === 'conflict' || state === 'rejected') m.outcome = state;
      else if (state !== 'queued') {
        m.outcome = 'failed';
        m.detail = 'queued, then vanished from the core';
      }
    }
  }
}

async function readTruth(db: Db, partnerId: number): Promise<ServerTruth> {
  const fieldOf = new Map<string, string>(targets.map((t) => [t.key, t.field]));
  const audit = await db.pool.query<{ id: number; integration_key: string; action: string; details: { changes?: { field: string; after: unknown }[] } }>(
    "SELECT id, integration_key, action, details FROM integration_audit_logs WHERE partner_id = $1 AND action IN ('configured', 'reconfigured', 'deleted') ORDER BY id",
    [partnerId],
  );
  const configs = await db.pool.query<{ integration_key: string; settings: Record<string, unknown> }>('SELECT integration_key, settings FROM integration_configurations WHERE partner_id = $1', [partnerId]);
  const mappingAudit = await db.pool.query<{ action: 'mapping_created' | 'mapping_deleted'; before: { externalOrgId?: string } | null; after: { externalOrgId?: string } | null }>(
    "SELECT action, before, after FROM client_audit_logs WHERE partner_id = $1 AND action IN ('mapping_created', 'mapping_deleted') ORDER BY id",
    [partnerId],
  );
  const mapped = await db.pool.query<{ external_org_id: string }>('SELECT external_org_id FROM integration_mappings WHERE partner_id = $1 AND integration_key = $2', [partnerId, mappingKey]);
  return {
    configAudit: audit.rows.map((r) => {
      const after = r.details.changes?.find((c) => c.field === fieldOf.get(r.integration_key))?.after;
      return { id: Number(r.id), integrationKey: r.integration_key, action: r.action, value: typeof after === 'string' ? after : null };
    }),
    current: Object.fromEntries(configs.rows.map((r) => [r.integration_key, typeof r.settings[fieldOf.get(r.integration_key) ?? ''] === 'string' ? (r.settings[fieldOf.get(r.integration_key) ?? ''] as string) : undefined])),
    mappingAudit: mappingAudit.rows.map((r) => ({ action: r.action, externalOrgId: (r.action === 'mapping_created' ? r.after?.externalOrgId : r.before?.externalOrgId) ?? '?' })),
    mapped: new Set(mapped.rows.map((r) => r.external_org_id)),
  };
}

const countBy = <T extends { outcome: string }>(items: T[]) => items.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.outcome]: (acc[i.outcome] ?? 0) + 1 }), {});

async function run(options: ScenarioOptions): Promise<ScenarioReport> {
  const rand = seededRandom(options.seed);
  const runs = options.quick ? 3 : 50;
  const label = `kill-server seed ${options.seed}`;
  const violations: string[] = [];
  const db = createDb(options.databaseUrl, { max: 2 });
  const fakes = await startFakeVendors();
  const observed = new ObservedFetch();
  let server: ServerProcess | undefined;
  let h: CoreHandle | undefined;
  try {
    const partner = await makePartner(db, { name: 'Kill server partner' });
    const admin = await makeUser(db, partner.id);
    // The health scheduler is another instance's job here: the history is the core's pushes.
    server = await ServerProcess.create({ databaseUrl: options.databaseUrl, env: { ...fakes.env, HEALTH_SCHEDULER: 'off' } });
    await server.start();
    h = await openCore(server.url, undefined, undefined, { fetch: observed.fetch });
    const core = h.core;
    await core.services.session.login({ email: admin.email, password: admin.password });
    for (let i = 0; i < 200 && !core.services.sync.status().lastSyncedAt; i++) await sleep(25);
    const clientIds: number[] = [];
    for (const name of ['Alpha Dental', 'Bravo Logistics', 'Charlie Bakery']) clientIds.push((await core.services.mappings.createClient(name)).id);

    const workload = new Workload(h, rand, clientIds);
    workload.start();
    const kills = { random: 0, midRequest: 0, requestSeen: 0 };
    const startMs: number[] = [];
    for (let r = 1; r <= runs; r++) {
      if (rand() < 0.5) {
        kills.random++;
        await sleep(150 + rand() * (options.quick ? 500 : 1_200));
      } else {
        kills.midRequest++;
        // Right as a push or a mapping batch goes out: before, during or after its commit.
        await sleep(150 + rand() * 300);
        if (await observed.next(/\/trpc\/[^?]*(sync\.push|mappings\.applyBatch)/, 3_000)) kills.requestSeen++;
        await sleep(rand() * 25);
      }
      await server.kill({ holdPort: true });
      await sleep(rand() * 300); // the core works offline meanwhile
      const t0 = Date.now();
      await server.start();
      startMs.push(Date.now() - t0);
      options.log(`run ${r}/${runs}: killed and restarted in ${startMs.at(-1)} ms (${workload.configChanges.length} drafts, ${workload.mappingChanges.length} mapping edits so far)`);
    }
    await workload.stop();

    // Drain: the server stays up; the core sends what is left by itself (poked, as a reconnect does).
    const drainStart = Date.now();
    const queuedMappings = () => core.session.requireCache().db.prepare("SELECT count(*) FROM mapping_drafts WHERE state = 'queued'").pluck().get() as number;
    while (Date.now() - drainStart < 60_000 && (core.services.sync.status().pendingMutations > 0 || queuedMappings() > 0)) {
      await core.services.sync.now().catch(() => undefined);
      await sleep(100);
    }
    const drainedMs = Date.now() - drainStart;
    workload.settle();
    const pendingMutations = core.services.sync.status().pendingMutations;
    if (pendingMutations > 0 || queuedMappings() > 0) {
      violations.push(`${label}: ${pendingMutations} mutation(s) and ${queuedMappings()} mapping edit(s) still queued 60 s after the last restart, with the server up`);
    }

    const truth = await readTruth(db, partner.id);
    violations.push(...checkPushHistory({ configChanges: workload.configChanges, mappingChanges: workload.mappingChanges }, truth, label));

    // The server's sync bookkeeping agrees with the core's: every mutation id issued got exactly one result.
    const cache = core.session.requireCache().db;
    const issued = getMetaNumber(cache, 'lastMutationIssued') ?? 0;
    const serverLast = (await db.pool.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE partner_id = $1', [partner.id])).rows.map((r) => Number(r.last));
    if (issued > 0 && (serverLast.length !== 1 || serverLast[0] !== issued)) violations.push(`${label}: the core issued mutations 1…${issued}, the server's last is ${serverLast.join(', ') || 'none'}`);
    for (const line of server.errorLines) violations.push(`${label}: the server logged an error: ${line.line.slice(0, 300)}`);

    const serverErrors = observed.fiveHundreds.filter((s) => !s.startsWith('503')).length;
    return {
      runs,
      operationsChecked: workload.configChanges.length + workload.mappingChanges.length,
      violations,
      serverErrors,
      figures: {
        kills,
        drafts: countBy(workload.configChanges),
        mappingEdits: countBy(workload.mappingChanges),
        mutationsIssued: issued,
        auditRows: truth.configAudit.length + truth.mappingAudit.length,
        restartMsMedian: startMs.sort((a, b) => a - b)[Math.floor(startMs.length / 2)],
        drainMs: drainedMs,
        status503: observed.statuses.get(503) ?? 0,
        fiveHundreds: observed.fiveHundreds.slice(0, 10),
        coreErrors: workload.coreErrors.slice(0, 10),
      },
    };
  } finally {
    await h?.close().catch(() => undefined);
    if (h) await rm(h.dir, { recursive: true, force: true });
    await server?.close();
    await fakes.close();
    await db.close();
  }
}

export const killServerScenario: Scenario = {
  name: 'kill-server',
  title: 'SIGKILL the API server while a desktop core pushes drafts and mapping edits',
  run,
};
