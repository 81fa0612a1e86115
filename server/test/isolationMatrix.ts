import type { CatalogWorld, WorldUser } from './catalogWorld.js';

/**
 * What both isolation matrices (server/routers/isolation*.test.ts) share: the five callers and
 * how one row is sent over REST or tRPC. Their rows and checks stay in each test file.
 */
export type MatrixCaller = 'ownAdmin' | 'ownTech' | 'otherAdmin' | 'dev' | 'none';
export const matrixCallers: MatrixCaller[] = ['ownAdmin', 'ownTech', 'otherAdmin', 'dev', 'none'];

export type MatrixIds = { a: number; b: number };
export type RestCall = { method: string; url: string; body?: unknown };
export type TrpcCall = { kind: 'query' | 'mutation'; path: string; input?: unknown };

/** The user behind a caller: partner A's admin and technician, B's admin, the dev partner, nobody. */
export function matrixUser(w: CatalogWorld, caller: MatrixCaller): WorldUser | undefined {
  return { ownAdmin: w.a.admin, ownTech: w.a.tech, otherAdmin: w.b.admin, dev: w.dev.admin, none: undefined }[caller];
}

/** Sends one row: over REST when asked and the row has a route, else over tRPC. */
export async function sendMatrixCall(w: CatalogWorld, transport: 'rest' | 'trpc', call: { rest?: RestCall; trpc: TrpcCall }, who: WorldUser | undefined) {
  if (transport === 'rest' && call.rest) return w.request(call.rest.method, call.rest.url, who, call.rest.body);
  const t = call.trpc;
  const headers = who ? { authorization: who.auth } : {};
  if (t.kind === 'query') {
    const query = t.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(t.input))}`;
    return w.server.app.inject({ method: 'GET', url: `/trpc/${t.path}${query}`, headers });
  }
  return w.server.app.inject({ method: 'POST', url: `/trpc/${t.path}`, headers, payload: (t.input ?? {}) as object });
}
