import pg from 'pg';
import { createTokenService } from '../server/auth/tokens.js';
import { loadConfig } from '../server/config.js';
import { migrate } from '../server/db/migrate.js';
import { createDb, type Db } from '../server/db/pool.js';
import { startFakeVendors, type FakeVendors } from '../server/integrations/fakeVendors.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import { seededRandom, type Scenario, type ScenarioOptions, type ScenarioReport } from './lib/scenario.js';
import { faultServerSecrets, ServerProcess } from './lib/serverProcess.js';

/**
 * Issue 20 §4: two API servers (child processes) on one database, one of them SIGKILLed.
 * (a) During a health sweep: every due check is recorded exactly once — the dead instance's
 *     leases expire and the survivor re-claims them — and the vendor sees a second call only for
 *     a check the dead instance had in flight.
 * (b) During side-effectful action runs with idempotency keys, sent to both instances (some keys
 *     to both at once) and retried until each has a final answer: no comment is posted twice at
 *     the vendor, and a key answered "succeeded" was posted exactly once.
 * (c) Both started in the same instant, repeatedly, against an already-migrated database (and
 *     once against an empty one, when the database user may create one): neither dies.
 *
 * Leases are minutes long (a crashed instance's work comes back "within minutes", by design):
 * instead of waiting them out, the scenario moves the dead instance's lease ends to now — the
 * clock jumping forward — once the survivor has done everything else.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Rest {
  status: number;
  body: unknown;
}

async function rest(url: string, method: string, path: string, token: string, body?: unknown, timeoutMs = 15_000): Promise<Rest> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the report
  }
  return { status: res.status, body: json };
}

const tokens = createTokenService(loadConfig({ JWT_SECRET: faultServerSecrets.JWT_SECRET }).jwt);
const tokenFor = async (user: { id: number; partnerId: number }) => (await tokens.sign({ userId: user.id, partnerId: user.partnerId, role: 'partner_admin' })).token;

interface World {
  db: Db;
  fakes: FakeVendors;
  /** Per partner: its admin's token and the MSP360 login its configuration uses. */
  partners: { id: number; token: string; login: string }[];
  syncro: { subdomain: string; ticketId: number; partnerId: number; token: string };
}

/** Partners with MSP360 configured (one login each) and the first with Syncro too. */
async function buildWorld(via: ServerProcess, partnerCount: number, db: Db, fakes: FakeVendors): Promise<World> {
  const partners: World['partners'] = [];
  for (let i = 0; i < partnerCount; i++) {
    const partner = await makePartner(db, { name: `Two instances ${i}` });
    const admin = await makeUser(db, partner.id);
    const login = `health-${i}`;
    fakes.msp360.addAccount({ login, password: 'health-password' });
    partners.push({ id: partner.id, token: await tokenFor(admin), login });
  }
  const subdomain = 'faultdesk';
  fakes.syncro.addTenant(subdomain, { tokens: [{ token: 'syncro-fault-token-0001' }] });
  const ticketId = fakes.syncro.tickets(subdomain)[0]?.id ?? 0;
  // Configured through a running instance; the first checks the scheduler places fall anywhere
  // in the hour-long interval, and each sweep below makes every check due at once anyway.
  for (const p of partners) {
    const res = await rest(via.url, 'POST', '/api/integrations/msp360/configure', p.token, { settings: { api_login: p.login, api_password: 'health-password' } });
    if (res.status !== 201) throw new Error(`configuring MSP360 answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const owner = partners[0] as World['partners'][number];
  const res = await rest(via.url, 'POST', '/api/integrations/syncro/configure', owner.token, { settings: { subdomain, api_token: 'syncro-fault-token-0001' } });
  if (res.status !== 201) throw new Error(`configuring Syncro answered ${res.status}: ${JSON.stringify(res.body)}`);
  const first = partners[0] as World['partners'][number];
  return { db, fakes, partners, syncro: { subdomain, ticketId, partnerId: first.id, token: first.token } };
}

/** Polls until `check` holds or the time is up; false on timeout. */
async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}

/** (a) One sweep: everything due, instance A killed mid-sweep, its leases expired, B finishes. */
async function healthSweep(w: World, a: ServerProcess, b: ServerProcess, rand: () => number, label: string): Promise<{ checked: number; violations: string[]; deadLeases: number }> {
  const violations: string[] = [];
  const q = w.db.pool;
  if (!a.running) await a.start();
  if (!b.running) await b.start();
  w.fakes.msp360.resetCounts();
  const t0 = (await q.query<{ now: Date }>('SELECT now()')).rows[0]?.now as Date;
  await q.query("UPDATE integration_health_schedule SET next_check_at = now(), lease_id = NULL, lease_owner = NULL, claimed_at = NULL WHERE integration_key = 'msp360'");
  // Both instances poll for due work every second; a check takes a few hundred milliseconds.
  await sleep(300 + rand() * 1_000);
  await a.kill();

  const recorded = async () =>
    Number((await q.query<{ n: string }>("SELECT count(*) AS n FROM integration_health_history WHERE integration_key = 'msp360' AND source = 'scheduled' AND checked_at >= $1", [t0])).rows[0]?.n);
  // The survivor does everything it can; what stays leased then is the dead instance's.
  let last = -1;
  let quietSince = Date.now();
  await until(async () => {
    const n = await recorded();
    const due = Number((await q.query<{ n: string }>("SELECT count(*) AS n FROM integration_health_schedule WHERE integration_key = 'msp360' AND lease_owner IS NULL AND next_check_at <= now()")).rows[0]?.n);
    if (n !== last || due > 0) {
      last = n;
      quietSince = Date.now();
    }
    return Date.now() - quietSince > 2_500;
  }, 30_000);
  const dead = (await q.query<{ partner_id: string }>("SELECT partner_id FROM integration_health_schedule WHERE integration_key = 'msp360' AND lease_owner IS NOT NULL")).rows.map((r) => Number(r.partner_id));
  // The clock jumps past the dead leases' end.
  await q.query("UPDATE integration_health_schedule SET next_check_at = now() WHERE integration_key = 'msp360' AND lease_owner IS NOT NULL");
  const done = await until(async () => {
    const leased = Number((await q.query<{ n: string }>("SELECT count(*) AS n FROM integration_health_schedule WHERE integration_key = 'msp360' AND (lease_owner IS NOT NULL OR next_check_at <= now())")).rows[0]?.n);
    return leased === 0 && (await recorded()) >= w.partners.length;
  }, 30_000);
  if (!done) violations.push(`${label}: the sweep did not finish within 30 s after the dead instance's leases expired`);

  const rows = await q.query<{ partner_id: string; n: string }>(
    "SELECT partner_id, count(*) AS n FROM integration_health_history WHERE integration_key = 'msp360' AND source = 'scheduled' AND checked_at >= $1 GROUP BY partner_id",
    [t0],
  );
  const counts = new Map(rows.rows.map((r) => [Number(r.partner_id), Number(r.n)]));
  for (const p of w.partners) {
    const n = counts.get(p.id) ?? 0;
    if (n !== 1) violations.push(`${label}: partner ${p.id}'s due MSP360 check was recorded ${n} times (expected once)`);
    // One /api/Users read per check: a second only where the dead instance had the check in flight.
    const calls = w.fakes.msp360.requestCount({ path: '/api/Users', tenant: p.login });
    const allowed = dead.includes(p.id) ? 2 : 1;
    if (calls < 1 || calls > allowed) violations.push(`${label}: partner ${p.id}'s check reached the vendor ${calls} times (allowed 1${allowed === 2 ? '–2: its lease was the dead instance\'s' : ''})`);
  }
  const future = Number((await q.query<{ n: string }>("SELECT count(*) AS n FROM integration_health_schedule WHERE integration_key = 'msp360' AND next_check_at > now() + interval '30 minutes'")).rows[0]?.n);
  if (future !== w.partners.length) violations.push(`${label}: ${w.partners.length - future} configuration(s) not scheduled an interval ahead after the sweep`);
  return { checked: w.partners.length, violations, deadLeases: dead.length };
}

interface ActionOutcome {
  key: string;
  final: 'succeeded' | 'failed' | 'unknown' | 'none';
  detail: string;
  answers: number[];
}

/** (b) Side-effectful runs on both instances, A killed among them, every key retried to a final answer. */
async function actionRuns(w: World, a: ServerProcess, b: ServerProcess, rand: () => number, keys: number, label: string, serverErrors: { count: number; seen: string[] }) {
  const violations: string[] = [];
  if (!a.running) await a.start();
  if (!b.running) await b.start();
  const { ticketId, token, subdomain, partnerId } = w.syncro;
  // A slow vendor keeps runs in flight, so the kill lands in the middle of some.
  w.fakes.syncro.setFaults({ delayMs: 150 + Math.round(rand() * 250), paths: [`/tickets/${ticketId}/comment`] }, subdomain);
  const run = `r${Math.floor(rand() * 1e9).toString(36)}`;
  const outcomes: ActionOutcome[] = [];
  let cut = 0;
  let vendorFailures = 0;
  const send = async (server: ServerProcess, o: ActionOutcome): Promise<'done' | 'retry'> => {
    let res: Rest;
    try {
      res = await rest(server.url, 'POST', '/api/actions/syncro.tickets.comment/run', token, { input: { ticketId: String(ticketId), body: `Fault suite ${o.key}` }, idempotencyKey: o.key });
    } catch {
      cut++;
      return 'retry'; // the instance died under us (or is down): ask again
    }
    o.answers.push(res.status);
    const error = (res.body as { error?: { code?: string } }).error;
    if (res.status === 502 && error?.code === 'VENDOR_ERROR') {
      // The documented answer for a run the vendor did not answer in time: final for its key,
      // and the vendor may or may not have done it (0 or 1 comments, never 2).
      vendorFailures++;
      o.final = 'unknown';
      o.detail = `502 ${JSON.stringify(res.body).slice(0, 200)}`;
      return 'done';
    }
    if (res.status >= 500) {
      serverErrors.count++;
      serverErrors.seen.push(`${res.status} ${server.name}: ${JSON.stringify(res.body).slice(0, 200)}`);
      return 'retry';
    }
    const body = res.body as { status?: string; error?: { code?: string; message?: string; details?: { reason?: string } } };
    if (res.status === 200 && body.status === 'succeeded') {
      o.final = 'succeeded';
      return 'done';
    }
    if (res.status === 409 && body.error?.details?.reason === 'in_progress') return 'retry';
    o.final = JSON.stringify(body).includes('outcome_unknown') ? 'unknown' : 'failed';
    o.detail = `${res.status} ${JSON.stringify(body).slice(0, 200)}`;
    return 'done';
  };
  const client = async (o: ActionOutcome) => {
    // Some keys go to both instances at once (a double click reaching two replicas).
    const first = rand() < 0.5 ? a : b;
    const both = rand() < 0.3;
    const results = await Promise.all(both ? [send(a, o), send(b, o)] : [send(first, o)]);
    const giveUpAt = Date.now() + 90_000;
    while (Date.now() < giveUpAt && !results.includes('done') && o.final === 'none') {
      await sleep(100 + rand() * 200);
      const target = a.running && rand() < 0.5 ? a : b;
      if ((await send(target, o)) === 'done') break;
    }
  };
  const clients: Promise<void>[] = [];
  for (let i = 0; i < keys; i++) {
    const o: ActionOutcome = { key: `${run}-key-${String(i).padStart(4, '0')}`, final: 'none', detail: '', answers: [] };
    outcomes.push(o);
    clients.push(client(o));
    await sleep(rand() * 40);
    // Mid-stream, once the first half had time to reach the vendor: some of A's runs are there now.
    if (i === Math.floor(keys / 2)) void sleep(100 + rand() * 400).then(() => a.kill());
  }
  await until(async () => !a.running, 5_000);
  await a.kill();
  // The survivor answers "in progress" for A's orphaned runs until their leases end: move the end to now.
  await until(async () => outcomes.every((o) => o.final !== 'none' || o.answers.at(-1) === 409), 30_000);
  await w.db.pool.query("UPDATE action_runs SET lease_until = now() WHERE partner_id = $1 AND status = 'running'", [partnerId]);
  const settled = await Promise.race([Promise.all(clients).then(() => true), sleep(100_000).then(() => false)]);
  if (!settled) violations.push(`${label}: some action requests got no final answer within 100 s`);

  const comments = (w.fakes.syncro.ticket(subdomain, ticketId)?.comments ?? []).map((c) => c.body);
  for (const o of outcomes) {
    const posted = comments.filter((body) => body === `Fault suite ${o.key}`).length;
    if (posted > 1) violations.push(`${label}: key ${o.key} was posted ${posted} times at the vendor (answers ${o.answers.join(', ')})`);
    if (o.final === 'succeeded' && posted !== 1) violations.push(`${label}: key ${o.key} answered succeeded but the vendor has ${posted} comments for it`);
    if (o.final === 'failed' && posted !== 0) violations.push(`${label}: key ${o.key} answered failed (${o.detail}) but the vendor has its comment`);
    if (o.final === 'none') violations.push(`${label}: key ${o.key} never got a final answer (answers ${o.answers.join(', ')})`);
  }
  w.fakes.syncro.resetFaults();
  const by = (f: ActionOutcome['final']) => outcomes.filter((o) => o.final === f).length;
  return { violations, checked: outcomes.length, figures: { succeeded: by('succeeded'), outcomeUnknown: by('unknown'), failed: by('failed'), requestsCut: cut, vendorFailures, failures: outcomes.filter((o) => o.final === 'failed').slice(0, 3).map((o) => o.detail) } };
}

/** A database of the same server, created empty (not migrated), or undefined when the user may not create one. */
async function emptyDatabase(databaseUrl: string): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `ic_faults_empty_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  } finally {
    await admin.end();
  }
  const u = new URL(databaseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
    },
  };
}

/** (c) Two instances started in the same instant (both loaded first), `times` times: both must come up. */
async function startTogether(a: ServerProcess, b: ServerProcess, times: number, label: string) {
  const violations: string[] = [];
  let ok = 0;
  const logged = a.errorLines.length + b.errorLines.length;
  for (let i = 1; i <= times; i++) {
    await Promise.all([a.kill(), b.kill()]);
    await Promise.all([a.prepare(), b.prepare()]);
    const started = await Promise.allSettled([a.start(), b.start()]);
    started.forEach((s, j) => {
      if (s.status === 'rejected') violations.push(`${label} start ${i}: instance ${j === 0 ? a.name : b.name} did not come up: ${String(s.reason).slice(0, 400)}`);
    });
    if (started.every((s) => s.status === 'fulfilled')) ok++;
  }
  await Promise.all([a.kill(), b.kill()]);
  for (const line of [...a.errorLines, ...b.errorLines].slice(logged)) violations.push(`${label}: ${line.instance} logged an error: ${line.line.slice(0, 300)}`);
  return { violations, ok };
}

async function run(options: ScenarioOptions): Promise<ScenarioReport> {
  const rand = seededRandom(options.seed);
  const label = `two-instances seed ${options.seed}`;
  const sweeps = options.quick ? 1 : 4;
  const actionRounds = options.quick ? 1 : 3;
  const keys = options.quick ? 10 : 30;
  const starts = options.quick ? 1 : 10;
  const violations: string[] = [];
  const serverErrors = { count: 0, seen: [] as string[] };
  const figures: Record<string, unknown> = {};
  let operationsChecked = 0;
  let runs = 0;
  const db = createDb(options.databaseUrl, { max: 3 });
  // Syncro's per-address limit (180 a minute) would make retried runs wait out 429s: this is about
  // exactly-once, not about rate limits, so both the fake's limit and the plugin's share are lifted.
  const fakes = await startFakeVendors({ syncro: { rateLimitPerMinute: null } });
  // Small per-instance concurrency so both instances share a sweep; an interval longer than the run.
  const env = { ...fakes.env, SYNCRO_REQUESTS_PER_MINUTE: '100000', HEALTH_SCHEDULER: 'on', HEALTH_CHECK_INTERVAL: '1h', HEALTH_CHECK_CONCURRENCY: '3', ACTION_TIMEOUT: '10s' };
  const a = await ServerProcess.create({ databaseUrl: options.databaseUrl, env, name: 'A' });
  const b = await ServerProcess.create({ databaseUrl: options.databaseUrl, env, name: 'B' });
  try {
    await Promise.all([a.prepare(), b.prepare()]);
    await Promise.all([a.start(), b.start()]);
    const w = await buildWorld(a, options.quick ? 5 : 9, db, fakes);
    fakes.msp360.setFaults({ delayMs: 200 });

    const sweepFigures: number[] = [];
    for (let i = 1; i <= sweeps; i++) {
      const s = await healthSweep(w, a, b, rand, `${label} sweep ${i}`);
      violations.push(...s.violations);
      operationsChecked += s.checked;
      sweepFigures.push(s.deadLeases);
      runs++;
      options.log(`health sweep ${i}/${sweeps}: ${s.checked} checks, ${s.deadLeases} re-claimed from the dead instance`);
    }
    figures.healthSweeps = { sweeps, checksPerSweep: w.partners.length, deadLeasesReclaimed: sweepFigures };
    fakes.msp360.resetFaults();

    const actionFigures: unknown[] = [];
    for (let i = 1; i <= actionRounds; i++) {
      const r = await actionRuns(w, a, b, rand, keys, `${label} actions ${i}`, serverErrors);
      violations.push(...r.violations);
      operationsChecked += r.checked;
      actionFigures.push(r.figures);
      runs++;
      options.log(`action round ${i}/${actionRounds}: ${r.checked} keys, ${JSON.stringify(r.figures)}`);
    }
    figures.actions = actionFigures;
    for (const line of [...a.errorLines, ...b.errorLines]) violations.push(`${label}: ${line.instance} logged an error: ${line.line.slice(0, 300)}`);

    const together = await startTogether(a, b, starts, `${label} migrated`);
    violations.push(...together.violations);
    operationsChecked += starts * 2;
    runs += starts;
    const fresh = await emptyDatabase(options.databaseUrl);
    let freshOk: number | string = 'skipped: the database user cannot create a database';
    if (fresh) {
      const fa = await ServerProcess.create({ databaseUrl: fresh.url, env: { ...env, HEALTH_SCHEDULER: 'off' }, name: 'A (empty database)' });
      const fb = await ServerProcess.create({ databaseUrl: fresh.url, env: { ...env, HEALTH_SCHEDULER: 'off' }, name: 'B (empty database)' });
      try {
        const r = await startTogether(fa, fb, 1, `${label} empty database`);
        violations.push(...r.violations);
        freshOk = r.ok;
        operationsChecked += 2;
        runs++;
        // Both up means the schema is complete: nothing pending for a third.
        const applied = await migrate(fresh.url);
        if (applied.length > 0) violations.push(`${label}: after two instances started on an empty database, ${applied.length} migration(s) were still pending`);
      } finally {
        await Promise.all([fa.close(), fb.close()]);
        await fresh.drop();
      }
    }
    figures.startedTogether = { migratedDatabase: `${together.ok}/${starts}`, emptyDatabase: freshOk };
    options.log(`started together: ${together.ok}/${starts} on the migrated database, empty database: ${String(freshOk)}`);
    figures.fiveHundreds = serverErrors.seen.slice(0, 10);
    return { runs, operationsChecked, violations, serverErrors: serverErrors.count, figures };
  } finally {
    await Promise.all([a.close(), b.close()]);
    await fakes.close();
    await db.close();
  }
}

export const twoInstancesScenario: Scenario = {
  name: 'two-instances',
  title: 'Two API servers on one database: one dies mid health sweep and mid action runs; both start at once',
  run,
};
