import { restOperations } from '../http/restOperations.js';
import { appRouter } from '../routers/index.js';

/**
 * Which isolation matrix owns which top-level router: every tRPC procedure of an owned
 * namespace, and every REST route that calls one, must have a row in that matrix (or a named
 * exemption). A new router belongs to no matrix until someone adds it here, and the coverage
 * test fails until then, so new endpoints cannot skip the cross-partner attack matrix.
 */
export const matrixNamespaces = {
  /** server/routers/isolation.test.ts */
  catalog: ['integrations', 'dev'],
  /** server/routers/isolationMonitoring.test.ts */
  monitoring: ['auth', 'health', 'mspbackups', 'sync'],
  /** server/routers/isolationClients.test.ts */
  clients: ['clients', 'mappings'],
  /** server/routers/isolationDiscovery.test.ts */
  discovery: ['discovery'],
  /** server/routers/isolationActions.test.ts */
  actions: ['actions', 'ticketLinks'],
  /** server/routers/isolationInteractions.test.ts */
  interactions: ['interactions'],
  /** server/routers/isolationOAuth.test.ts */
  oauth: ['oauth'],
  /** server/routers/isolationMaintenance.test.ts */
  maintenance: ['maintenance'],
  /** server/routers/isolationInbound.test.ts */
  inbound: ['inboundWebhooks'],
  /** server/routers/isolationAutomations.test.ts */
  automations: ['automations'],
  /** server/routers/isolationAccessTokens.test.ts */
  accessTokens: ['accessTokens'],
} as const;

/** What a matrix row says it calls; the ids are the partners the matrix attacks. */
export interface CoveredOperation {
  rest?: (ids: { a: number; b: number }) => { method: string; url: string };
  trpc: (ids: { a: number; b: number }) => { path: string };
}

/** Top-level routers of the app router. */
export function routerNamespaces(): string[] {
  return [...new Set(Object.keys(appRouter._def.procedures).map((path) => path.split('.')[0] as string))].sort();
}

/** Queries, mutations and subscriptions of these namespaces, as `namespace.name`. */
export function proceduresOf(namespaces: readonly string[]): { path: string; type: string }[] {
  // At run time tRPC keeps a flat map keyed by dotted path; its declared type is the nested shape.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  return Object.entries(procedures)
    .filter(([path]) => namespaces.includes(path.split('.')[0] as string))
    .map(([path, procedure]) => ({ path, type: procedure._def.type }));
}

/** Whether a concrete URL (query ignored) fits a Fastify path pattern such as `/api/x/:key`. */
export function urlFitsPattern(pattern: string, url: string): boolean {
  const escaped = pattern.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('/')}$`).test(url.split('?')[0] as string);
}

/**
 * What a matrix misses of its namespaces: `tRPC <path>` for a procedure without a row and
 * `REST <METHOD> <path>` for a route without a row that sends that method to that path.
 * `exempt` names procedures (and so their routes) the matrix deliberately leaves out, each with
 * the reason and where they are tested instead.
 */
export function uncovered(
  operations: readonly CoveredOperation[],
  namespaces: readonly string[],
  exempt: Record<string, string>,
  ids: { a: number; b: number },
): string[] {
  const missing: string[] = [];
  const rowPaths = new Set(operations.map((op) => op.trpc(ids).path));
  for (const { path } of proceduresOf(namespaces)) {
    if (!rowPaths.has(path) && !(path in exempt)) missing.push(`tRPC ${path}`);
  }
  const restCalls = operations.flatMap((op) => (op.rest ? [op.rest(ids)] : []));
  // Every REST route is declared on its procedure (meta.openapi), so it names what it calls.
  for (const route of restOperations(appRouter)) {
    const { procedure } = route;
    if (!namespaces.includes(procedure.split('.')[0] as string) || procedure in exempt) continue;
    if (!restCalls.some((call) => call.method === route.method && urlFitsPattern(route.path, call.url))) {
      missing.push(`REST ${route.method} ${route.path}`);
    }
  }
  return missing;
}
