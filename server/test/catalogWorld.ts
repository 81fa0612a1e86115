import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../shared/auth.js';
import type { FieldSpec, SettingsInput } from '../../shared/integrations/fields.js';
import { createControllablePlugin, type TestVendor } from '../integrations/testing/controllablePlugin.js';
import type { IntegrationPlugin } from '../integrations/types.js';
import { makePartner, makeUser } from './factories.js';
import { createTestServer, type TestServer } from './harness.js';

/** A second, simpler integration so catalog filters have something to tell apart. */
const backupFields: FieldSpec[] = [
  { key: 'login', label: 'API login', kind: 'Text', required: true, help: '' },
  { key: 'password', label: 'API password', kind: 'Secret', required: true, help: '' },
];

export interface WorldUser {
  id: number;
  partnerId: number;
  role: Role;
  token: string;
  /** `Bearer <token>` */
  auth: string;
}

export interface CatalogWorld {
  server: TestServer;
  vendor: TestVendor;
  backupVendor: TestVendor;
  dev: { id: number; admin: WorldUser };
  a: { id: number; admin: WorldUser; tech: WorldUser };
  b: { id: number; admin: WorldUser; tech: WorldUser };
  /** `app.inject` with JSON and an optional bearer token. */
  request(method: string, url: string, user?: WorldUser, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Settings the test plugin accepts; `api_token` is made unique per call when not given. */
export function validSettings(overrides: SettingsInput = {}): SettingsInput {
  return { subdomain: 'acme', api_token: `tok_${Math.random().toString(36).slice(2)}_long_enough`, region: 'us', ...overrides };
}

/**
 * Two ordinary partners (A and B) with an admin and a technician each, and the dev partner, on a
 * server whose registry holds the controllable test plugins `testvendor` (Psa) and
 * `otherbackup` (Backup), plus any `plugins` given (e.g. MSP360 against its fake, with `env`).
 */
export async function createCatalogWorld(
  options: { pluginTimeoutMs?: number; plugins?: readonly IntegrationPlugin[]; env?: Record<string, string> } = {},
): Promise<CatalogWorld> {
  const main = createControllablePlugin();
  const backup = createControllablePlugin({ key: 'otherbackup', name: 'Other Backup', provider: 'Elsewhere Ltd', category: 'Backup', description: 'Offsite copies', fields: backupFields });
  const server = await createTestServer({
    plugins: [main.plugin, backup.plugin, ...(options.plugins ?? [])],
    ...(options.env ? { env: options.env } : {}),
    deps: options.pluginTimeoutMs ? { pluginTimeoutMs: options.pluginTimeoutMs } : {},
  });
  const user = async (partnerId: number, role: Role): Promise<WorldUser> => {
    const made = await makeUser(server.deps.db, partnerId, role);
    const token = await server.tokenFor(made);
    return { id: made.id, partnerId, role, token, auth: `Bearer ${token}` };
  };
  const devPartner = await makePartner(server.deps.db, { isDev: true, name: 'ACG' });
  const pa = await makePartner(server.deps.db, { name: 'Partner A' });
  const pb = await makePartner(server.deps.db, { name: 'Partner B' });
  return {
    server,
    vendor: main.vendor,
    backupVendor: backup.vendor,
    dev: { id: devPartner.id, admin: await user(devPartner.id, 'partner_admin') },
    a: { id: pa.id, admin: await user(pa.id, 'partner_admin'), tech: await user(pa.id, 'partner_user') },
    b: { id: pb.id, admin: await user(pb.id, 'partner_admin'), tech: await user(pb.id, 'partner_user') },
    request: (method, url, who, payload) =>
      server.app.inject({
        method: method as 'GET',
        url,
        headers: who ? { authorization: who.auth } : {},
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    close: () => server.close(),
  };
}
