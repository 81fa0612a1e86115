import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createDb } from '../db/pool.js';
import { buildApp } from '../http/app.js';
import type { IntegrationPlugin } from '../integrations/types.js';
import { createActionPlugin, startLoopbackVendor, type LoopbackVendor } from '../integrations/testing/actionPlugin.js';
import { createCatalogWorld, validSettings, type CatalogWorld, type WorldUser } from './catalogWorld.js';

/**
 * The catalog world (partners A and B, the dev partner) plus the `ticketdesk` test plugin with
 * actions against a loopback vendor that counts its calls (server/integrations/testing/actionPlugin.ts).
 */
export interface ActionWorld extends CatalogWorld {
  desk: LoopbackVendor;
  /** Configures ticketdesk for the partner of `admin` (its vendor URL, this token). */
  configure(admin: WorldUser, token?: string): Promise<void>;
  /** A client of the partner of `admin`, mapped to these ticketdesk organizations. */
  client(admin: WorldUser, name: string, orgIds: string[]): Promise<number>;
  /** POST /api/actions/:id/run */
  run(user: WorldUser | undefined, actionId: string, body: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /**
   * A second server instance on the same database (its own app and connection pool, nothing
   * in memory shared with the first): "another instance", and after close + a new one, "a restart".
   */
  instance(): Promise<{ app: FastifyInstance; run: ActionWorld['run']; close(): Promise<void> }>;
}

export async function createActionWorld(options: { env?: Record<string, string>; plugins?: readonly IntegrationPlugin[] } = {}): Promise<ActionWorld> {
  const desk = await startLoopbackVendor();
  const { plugin } = createActionPlugin(desk);
  const w = await createCatalogWorld({ plugins: [plugin, ...(options.plugins ?? [])], env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', ...options.env } });
  return {
    ...w,
    desk,
    async configure(admin, token) {
      const res = await w.request('POST', '/api/integrations/ticketdesk/configure', admin, { settings: validSettings({ base_url: desk.url, ...(token ? { api_token: token } : {}) }) });
      if (res.statusCode !== 201) throw new Error(`configure failed: ${res.body}`);
    },
    async client(admin, name, orgIds) {
      const created = await w.request('POST', '/api/clients', admin, { name });
      if (created.statusCode !== 201) throw new Error(`client failed: ${created.body}`);
      const id = created.json().id as number;
      for (const org of orgIds) {
        const mapped = await w.request('POST', '/api/integrations/ticketdesk/mappings', admin, { clientId: id, externalOrgId: org, externalOrgName: `Org ${org}` });
        if (mapped.statusCode !== 201) throw new Error(`mapping failed: ${mapped.body}`);
      }
      return id;
    },
    run: (user, actionId, body) => w.request('POST', `/api/actions/${actionId}/run`, user, body),
    async instance() {
      const db = createDb(w.server.database.url);
      const app = await buildApp({ ...w.server.deps, db });
      return {
        app,
        run: (user, actionId, body) =>
          app.inject({ method: 'POST', url: `/api/actions/${actionId}/run`, headers: user ? { authorization: user.auth } : {}, payload: body }),
        async close() {
          await app.close();
          await db.close();
        },
      };
    },
    async close() {
      await w.close();
      await desk.close();
    },
  };
}
