import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { localRouter } from '../../electron/core/api/router.js';
import { startBrowserModeCore } from '../../electron/core/browserMode.js';
import { launchTokenHeader } from '../../shared/localApi.js';
import type { Hints } from './arbitrary.js';
import { trpcCases, type FuzzRequest } from './cases.js';
import { checkAnswer, describe, isVendorRefusal } from './check.js';
import type { FuzzServer } from './server.js';
import type { FuzzWorld } from './world.js';

type ProcedureDef = { _def: { type: string; inputs: unknown[] } };

export interface DesktopFuzzReport {
  procedures: number;
  runs: number;
  checked: number;
  serverErrors: number;
  /** 502 VENDOR_ERROR relayed from the server: a fake vendor refused on purpose. */
  vendorRefusals: number;
  violations: string[];
  figures: Record<string, unknown>;
}

/**
 * The desktop core's local API in browser mode (electron/core/host/httpHost.ts), signed in to
 * the fuzz server as partner A's admin: every procedure of the local router with generated and
 * hostile input, with the launch token and without it (and with a wrong one). Never a 5xx;
 * errors in the shape the renderer reads.
 */
export async function fuzzDesktop(server: FuzzServer, world: FuzzWorld, options: { perProcedure: number; seed: number; log(line: string): void }): Promise<DesktopFuzzReport> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ic-fuzz-core-'));
  const core = await startBrowserModeCore({ serverUrl: server.url, dataDir: path.join(dir, 'data'), port: 0, staticDir: null });
  const report: DesktopFuzzReport = { procedures: 0, runs: 0, checked: 0, serverErrors: 0, vendorRefusals: 0, violations: [], figures: {} };
  const statuses: Record<string, number> = {};
  const bySurface: Record<string, number> = {};
  try {
    const token = decodeURIComponent(new URL(core.host.url).hash.replace(/^#launch=/, ''));
    const base = `http://127.0.0.1:${core.host.port}`;
    const call = async (req: FuzzRequest, stream: boolean) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 20_000);
      try {
        const res = await fetch(`${base}${req.url}`, { method: req.method, headers: req.headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.payload, signal: abort.signal });
        const body = stream && res.status < 400 ? '' : await res.text();
        return { status: res.status, body };
      } finally {
        clearTimeout(timer);
        if (stream) abort.abort();
      }
    };
    const signIn = async () => {
      const headers = { [launchTokenHeader]: token, 'content-type': 'application/json' };
      await fetch(`${base}/trpc/settings.setServerUrl`, { method: 'POST', headers, body: JSON.stringify({ serverUrl: server.url }) });
      const res = await fetch(`${base}/trpc/session.login`, { method: 'POST', headers, body: JSON.stringify({ email: world.a.admin.email, password: world.a.admin.password }) });
      if (res.status !== 200) throw new Error(`the desktop core could not sign in as partner A's admin: ${res.status} ${await res.text()}`);
    };
    await signIn();
    const hints: Hints = {
      key: fc.constantFrom(...world.integrationKeys, 'nope'),
      integrationKey: fc.constantFrom(...world.integrationKeys, 'nope'),
      clientId: fc.constantFrom(...world.a.clientIds, ...world.b.clientIds),
      id: fc.constantFrom(...world.a.clientIds, ...world.b.clientIds, 1, 2, 3),
      partnerId: fc.constantFrom(world.a.id, world.b.id, world.dev.id),
      email: fc.constantFrom(world.a.admin.email, world.b.admin.email),
      serverUrl: fc.constantFrom(server.url, 'http://127.0.0.1:9', 'https://example.invalid'),
    };
    // The launch token stands in for a user here: "admin" carries it, the others a wrong one or none.
    const auth = { none: undefined, admin: token, tech: `${token.slice(0, -1)}x`, dev: 'x' };
    const procedures = Object.entries(localRouter._def.procedures as unknown as Record<string, ProcedureDef>);
    // Session and settings last: signing out or pointing elsewhere would blunt the others.
    const order = (p: string) => (p.startsWith('session.') || p.startsWith('settings.') ? 1 : 0);
    procedures.sort(([a], [b]) => order(a) - order(b));
    for (const [index, [name, def]] of procedures.entries()) {
      const input = def._def.inputs[0];
      const seed = (options.seed + 104_729 + index * 7919) | 0;
      const cases = fc.sample(trpcCases({ path: name, type: def._def.type, ...(input instanceof z.ZodType ? { input } : {}) }, { auth: auth as never, hints, forgery: { partnerId: world.b.id, ids: world.b.clientIds, strings: world.b.orgIds } }), { numRuns: options.perProcedure, seed });
      let done = 0;
      for (const req of cases) {
        // The token travels in its own header; Authorization is not how the local API is called.
        const launch = req.headers.authorization;
        delete req.headers.authorization;
        // A real HTTP client cannot send control characters in a header (inject could): drop them.
        if (launch !== undefined) req.headers[launchTokenHeader] = launch.replace(/[^\t\x20-\x7e]/g, '');
        req.surface = `local ${name}`;
        report.runs++;
        let answer;
        try {
          answer = await call(req, def._def.type === 'subscription');
        } catch (error) {
          report.violations.push(`local ${name} (seed ${seed}): ${describe(req)} failed: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        report.checked++;
        done++;
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (isVendorRefusal(answer)) report.vendorRefusals++;
        else if (answer.status >= 500) report.serverErrors++;
        const broken = checkAnswer({ ...req, caller: 'dev' }, answer, []);
        if (broken) report.violations.push(`local ${name} (seed ${seed}): ${broken}`);
      }
      if (done === 0) report.violations.push(`not covered: local ${name} had no case checked`);
      bySurface[`local ${name}`] = done;
      report.procedures++;
      if (order(name) === 1) await signIn();
    }
    report.figures = { procedures: report.procedures, requests: report.checked, statuses, casesBySurface: bySurface };
    options.log(`local API: ${report.procedures} procedures, ${report.checked} answers checked`);
    return report;
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}
