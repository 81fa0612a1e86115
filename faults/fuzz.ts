import type { LightMyRequestResponse } from 'fastify';
import { Agent, fetch } from 'undici';
import type { Scenario, ScenarioOptions, ScenarioReport } from './lib/scenario.js';
import { checkAnswer, describe, isVendorRefusal, type Answer } from './fuzz/check.js';
import type { FuzzRequest } from './fuzz/cases.js';
import { fuzzDesktop } from './fuzz/desktop.js';
import { startFuzzServer, type FuzzServer } from './fuzz/server.js';
import { serverSurfaces, type Surface } from './fuzz/serverSurfaces.js';
import { snapshotDifferences, snapshotPartner, snapshotRows } from './fuzz/snapshot.js';
import { seedFuzzWorld } from './fuzz/world.js';

/** Requests in flight at once per surface: the server answers several while one waits on a vendor. */
const concurrency = 4;

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** No answer within this long is a hang (a violation), not a slow answer. */
const answerTimeoutMs = 20_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${answerTimeoutMs} ms: ${what}`)), answerTimeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A fresh connection for each stream request. Node's HTTP parser answers a URL over 16 KB (the
 * "deep" cases) with its own 431 and closes the connection; a pooled keep-alive socket handed to
 * the next request in that instant fails as "other side closed" before the server reads it — a
 * race of the client's pool, not an answer of the server's.
 */
const streamAgent = new Agent({ pipelining: 0 });

/** A subscription is a stream: sent over real HTTP, judged by its status and first bytes, then dropped. */
async function sendOverHttp(server: FuzzServer, req: FuzzRequest): Promise<Answer> {
  const abort = new AbortController();
  try {
    const res = await fetch(`${server.url}${req.url}`, { method: req.method, headers: req.headers, body: req.payload, signal: abort.signal, dispatcher: streamAgent });
    const body = res.status >= 400 ? await res.text() : '';
    return { status: res.status, body };
  } finally {
    abort.abort();
  }
}

/**
 * Header values as a server receives them over a socket: bytes read as latin1, and without NUL,
 * CR or LF, which Node's HTTP parser refuses with its own 400 before any of our code runs.
 * `app.inject` would hand the raw string over, which no real client can send.
 */
function asOnTheWire(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Buffer.from(value, 'utf8').toString('latin1').replace(/[\0\r\n]/g, '')]));
}

async function send(server: FuzzServer, surface: Surface, req: FuzzRequest): Promise<Answer> {
  req.headers = asOnTheWire(req.headers);
  if (surface.kind === 'subscription' && req.method === 'GET') return sendOverHttp(server, req);
  const res: LightMyRequestResponse = await server.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload === undefined ? {} : { payload: req.payload }) });
  return { status: res.statusCode, body: res.body };
}

/** B's bytes that must never reach A's callers. */
// Not B's organization ids: the forged cases write those into A's own rows on purpose.
const canaries = ['northwind Canary', 'northwind-webhook-secret', 'northwind Renamed'];

export const fuzzScenario: Scenario = {
  name: 'fuzz',
  title: 'Generated and hostile input to every REST route, tRPC procedure and local API procedure: no 5xx, errors in shape, partner B untouched',
  async run(options: ScenarioOptions): Promise<ScenarioReport> {
    // Quick: enough per surface that every variant family shows up somewhere inside `npm test`;
    // full: as many as fit the scenario's 4 minutes on a shared 2-core machine.
    const perSurface = options.quick ? 10 : 60;
    const violations: string[] = [];
    let serverErrors = 0;
    let runs = 0;
    let checked = 0;
    let vendorRefusals = 0;
    const byKind: Record<string, { surfaces: number; requests: number }> = {};
    const statuses: Record<string, number> = {};
    const bySurface: Record<string, number> = {};
    const started = Date.now();
    const server = await startFuzzServer(options.databaseUrl);
    try {
      const world = await seedFuzzWorld(server);
      const pool = server.runtime.deps.db.pool;
      await server.settle();
      const before = await snapshotPartner(pool, world.b.id);
      const { surfaces, unmatched } = serverSurfaces(server, world);
      options.log(`${surfaces.length} server surfaces; partner B holds ${snapshotRows(before)} rows in ${before.size} tables`);
      for (const gap of unmatched.filter((u) => u.startsWith('REST operation'))) violations.push(`not covered: ${gap}`);
      for (const [index, surface] of surfaces.entries()) {
        const seed = (options.seed + index * 7919) | 0;
        const requests = surface.cases(surface.name.includes(' HEAD ') ? Math.ceil(perSurface / 5) : perSurface, seed);
        let done = 0;
        const surfaceStarted = Date.now();
        await inParallel(requests, concurrency, async (req) => {
          runs++;
          let answer: Answer;
          try {
            answer = await withTimeout(send(server, surface, req), describe(req));
          } catch (error) {
            violations.push(`${surface.name} (seed ${seed}): ${error instanceof Error ? error.message : String(error)}`);
            return;
          }
          checked++;
          done++;
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          if (isVendorRefusal(answer)) vendorRefusals++;
          else if (answer.status >= 500) serverErrors++;
          const broken = checkAnswer(req, answer, canaries);
          if (broken) violations.push(`${surface.name} (seed ${seed}): ${broken}`);
        });
        const took = Date.now() - surfaceStarted;
        if (took > 500) options.log(`${surface.name}: ${requests.length} cases in ${(took / 1000).toFixed(1)} s`);
        if (done === 0) violations.push(`not covered: ${surface.name} had no case checked`);
        bySurface[surface.name] = done;
        const kind = (byKind[surface.kind] ??= { surfaces: 0, requests: 0 });
        kind.surfaces++;
        kind.requests += done;
      }
      options.log(`server: ${checked} answers checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);

      const desktop = await fuzzDesktop(server, world, { perProcedure: options.quick ? 6 : 40, seed: options.seed, log: options.log });
      runs += desktop.runs;
      checked += desktop.checked;
      serverErrors += desktop.serverErrors;
      violations.push(...desktop.violations);
      byKind.local = { surfaces: desktop.procedures, requests: desktop.checked };

      await server.settle();
      const after = await snapshotPartner(pool, world.b.id);
      violations.push(...snapshotDifferences(before, after));
      checked += before.size;
      for (const line of server.errorLines().slice(0, 10)) violations.push(`logged at error level: ${line.slice(0, 400)}`);
      return {
        runs,
        operationsChecked: checked,
        violations,
        serverErrors,
        figures: {
          perSurfaceKind: byKind,
          vendorRefusals502: vendorRefusals + desktop.vendorRefusals,
          casesPerSurface: perSurface,
          statuses,
          partnerBRowsCompared: snapshotRows(before),
          partnerBTablesCompared: before.size,
          errorLogLines: server.errorLines().length,
          genericallyFuzzedApiRoutes: unmatched.filter((u) => !u.startsWith('REST operation')),
          localApi: desktop.figures,
          casesBySurface: bySurface,
          seconds: Math.round((Date.now() - started) / 1000),
        },
      };
    } finally {
      await server.close();
    }
  },
};
