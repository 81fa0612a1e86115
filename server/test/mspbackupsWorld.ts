import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../shared/auth.js';
import { withSystem } from '../db/pool.js';
import { createMsp360Plugin, type Msp360Plugin } from '../integrations/msp360/index.js';
import { startFakeMsp360, type FakeMsp360 } from '../integrations/msp360/fakeServer.js';
import { syncroPlugin } from '../integrations/syncro/index.js';
import { makePartner, makeUser } from './factories.js';
import { createTestServer, type TestServer } from './harness.js';

export interface MspUser {
  id: number;
  partnerId: number;
  role: Role;
  auth: string;
}

export interface MspPartner {
  id: number;
  admin: MspUser;
  tech: MspUser;
}

/** A partner's row of the legacy table, as the MSPBackups feature wrote it before this release. */
export interface LegacySeed {
  apiLogin: string;
  apiPassword: string | null;
  enabled: boolean;
}

export interface MspBackupsWorld {
  server: TestServer;
  fake: FakeMsp360;
  plugin: Msp360Plugin;
  partner(name?: string): Promise<MspPartner>;
  /** Writes a legacy row straight into mspbackups_config, encrypted with CREDENTIALS_KEY. */
  seedLegacy(partnerId: number, seed: LegacySeed): Promise<void>;
  request(method: string, url: string, user?: MspUser, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A server whose MSP360 plugin talks to a loopback fake of MSP360 (with a rate limit that does
 * not slow tests down), and partners with an admin and a technician each.
 */
export async function createMspBackupsWorld(options: { env?: Record<string, string> } = {}): Promise<MspBackupsWorld> {
  const fake = await startFakeMsp360();
  const plugin = createMsp360Plugin({ checkTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 10, maxDelayMs: 20 } } });
  const server = await createTestServer({ env: { MSP360_BASE_URL: fake.baseUrl, ...options.env }, plugins: [syncroPlugin, plugin] });
  const user = async (partnerId: number, role: Role): Promise<MspUser> => {
    const made = await makeUser(server.deps.db, partnerId, role);
    return { id: made.id, partnerId, role, auth: `Bearer ${await server.tokenFor(made)}` };
  };
  return {
    server,
    fake,
    plugin,
    async partner(name) {
      const p = await makePartner(server.deps.db, name ? { name } : {});
      return { id: p.id, admin: await user(p.id, 'partner_admin'), tech: await user(p.id, 'partner_user') };
    },
    async seedLegacy(partnerId, seed) {
      const password = seed.apiPassword === null ? null : server.deps.legacyCredentials.encrypt(seed.apiPassword);
      await withSystem(server.deps.db, (tx) =>
        tx.query('INSERT INTO mspbackups_config (partner_id, api_login, api_password, enabled) VALUES ($1, $2, $3, $4)', [partnerId, seed.apiLogin, password, seed.enabled]),
      );
    },
    request: (method, url, who, payload) =>
      server.app.inject({
        method: method as 'GET',
        url,
        headers: who ? { authorization: who.auth } : {},
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    async close() {
      await server.close();
      await plugin.close();
      await fake.close();
    },
  };
}
