import fc from 'fast-check';
import { z } from 'zod';
import { restOperations } from '../../server/http/restOperations.js';
import { appRouter } from '../../server/routers/index.js';
import { fromJsonSchema, type Hints } from './arbitrary.js';
import { plainCases, restCases, restMegabyte, sampleExtras, trpcCases, type CallerAuth, type Forgery, type FuzzRequest } from './cases.js';
import { appRoutes, samePattern } from './routes.js';
import type { FuzzServer } from './server.js';
import type { FuzzWorld } from './world.js';

/** One thing to fuzz and how its requests are made. */
export interface Surface {
  kind: 'rest' | 'trpc' | 'route' | 'subscription';
  name: string;
  cases(count: number, seed: number): FuzzRequest[];
}

/** The values of the world offered for fields of these names: A's and B's ids side by side. */
function worldHints(server: FuzzServer, world: FuzzWorld): Hints {
  const registry = server.runtime.deps.registry.list();
  const actionIds = registry.flatMap((r) => [...r.actions.keys()]);
  const actionInputs = registry.flatMap((r) => [...r.actions.values()].map((a) => fromJsonSchema(a.inputJsonSchema)));
  const keys = fc.constantFrom(...world.integrationKeys, 'nope', 'SYNCRO');
  const ids = fc.constantFrom(...world.a.clientIds, ...world.b.clientIds, ...world.b.ticketLinkIds, 1, 2, 3);
  return {
    key: keys,
    integrationKey: keys,
    partnerId: fc.constantFrom(world.a.id, world.b.id, world.dev.id, 1, 999_999),
    clientId: ids,
    id: ids,
    externalOrgId: fc.constantFrom(...world.b.orgIds, 'contoso-org-1', '1', 'missing'),
    actionId: fc.constantFrom(...actionIds, 'nope.nothing'),
    ...(actionInputs.length > 0 ? { input: fc.oneof(...actionInputs) } : {}),
  };
}

type ProcedureDef = { _def: { type: string; inputs: unknown[] } };

/** Every tRPC procedure of the app router (flat, by dotted path) with its one zod input, if any. */
export function serverProcedures(): { path: string; type: string; input?: z.ZodType }[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures).map(([path, p]) => {
    const input = p._def.inputs[0];
    return { path, type: p._def.type, ...(input instanceof z.ZodType ? { input } : {}) };
  });
}

const sample = (arbitrary: fc.Arbitrary<FuzzRequest>, count: number, seed: number) => fc.sample(arbitrary, { numRuns: count, seed });

/**
 * Every surface of the running API server: each route Fastify holds (read from the app, so a new
 * one is fuzzed without being listed), each REST operation with its input schema, and each tRPC
 * procedure. `unmatched` lists what could not be given schema-aware input (fuzzed generically).
 */
export function serverSurfaces(server: FuzzServer, world: FuzzWorld): { surfaces: Surface[]; unmatched: string[] } {
  const auth: CallerAuth = { none: undefined, admin: world.authOf('admin'), tech: world.authOf('tech'), dev: world.authOf('dev') };
  const forgery: Forgery = { partnerId: world.b.id, ids: [...world.b.clientIds, ...world.b.ticketLinkIds], strings: world.b.orgIds };
  const hints = worldHints(server, world);
  const operations = restOperations(appRouter);
  const surfaces: Surface[] = [];
  const unmatched: string[] = [];
  for (const route of appRoutes(server.app)) {
    if (route.path === '/trpc/:path') continue; // the adapter's one route: fuzzed per procedure below, and generically
    const op = operations.find((o) => samePattern(o.path, route.path) && (o.method === route.method || (route.method === 'HEAD' && o.method === 'GET')));
    if (op) {
      surfaces.push({
        kind: 'rest',
        name: `REST ${route.method} ${op.path}`,
        // A ≥ 1 MB body once per route that takes one (a query that long never gets past Node's 16 KB header limit).
        cases: (count, seed) => [
          ...sample(restCases(op, route.method, { auth, hints, forgery }), count, seed),
          ...(route.method === 'POST' || route.method === 'PUT' ? [restMegabyte(op, route.method, { auth, forgery }, sampleExtras(seed))] : []),
        ],
      });
    } else {
      if (route.path.startsWith('/api/') && !route.path.startsWith('/api/docs') && route.path !== '/api/openapi.json') unmatched.push(`${route.method} ${route.path}`);
      surfaces.push({ kind: 'route', name: `route ${route.method} ${route.path}`, cases: (count, seed) => sample(plainCases(route, { auth: { ...auth, metrics: server.metricsToken } }), count, seed) });
    }
  }
  // Procedures the adapter does not know (typos, other routers' names) and the adapter's other methods.
  surfaces.push({ kind: 'route', name: 'route * /trpc/:path', cases: (count, seed) => sample(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD').chain((method) => plainCases({ method, path: '/trpc/:path' }, { auth: { ...auth, metrics: server.metricsToken } })), count, seed) });
  for (const procedure of serverProcedures()) {
    surfaces.push({
      kind: procedure.type === 'subscription' ? 'subscription' : 'trpc',
      name: `tRPC ${procedure.path}`,
      cases: (count, seed) => sample(trpcCases(procedure, { auth, hints, forgery }), count, seed),
    });
  }
  for (const op of operations) {
    if (!surfaces.some((s) => s.name === `REST ${op.method} ${op.path}`)) unmatched.push(`REST operation ${op.method} ${op.path} has no route in the running app`);
  }
  return { surfaces, unmatched };
}
