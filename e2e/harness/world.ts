import type { AddressInfo } from 'node:net';
import { dropConnectionsWhile } from '../../server/test/dropConnections.js';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../shared/auth.js';
import { seedDemo, type DemoSeed } from '../../server/cli/commands/seedDemo.js';
import { seedDemoIntegrations } from '../../server/demo/seedDemoIntegrations.js';
import { dataforthBackupTicket, demoSyncroTickets } from '../../server/demo/demoVendorRecords.js';
import type { AppDeps } from '../../server/deps.js';
import { buildApp } from '../../server/http/app.js';
import { seedDemoVendors, startFakeVendors, type DemoVendorSeed, type FakeVendors } from '../../server/integrations/fakeVendors.js';
import { makeUser } from '../../server/test/factories.js';
import { createTestServer, type TestServer } from '../../server/test/harness.js';
import { holdPort } from '../../server/test/portHolder.js';

export interface WorldUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  partnerId: number;
}

/** Vendor credentials the suites type into the UI (known only to the fakes). */
export interface E2eCredentials {
  northwindSyncroToken: string;
  /** A second valid token of Northwind's Syncro account (a rotation). */
  northwindSyncroRotated: string;
  northwindMspLogin: string;
  northwindMspPassword: string;
  /** Two more API logins of Northwind's MSP360 account, with the same password. */
  northwindMspOps: string;
  northwindMspBackup: string;
}

/** Logins are throttled per address; every login of a suite comes from 127.0.0.1. */
const loginLimits: AppDeps['loginLimits'] = {
  perIp: { limit: 1_000, windowMs: 60_000 },
  // Small, so the rate-limit scenario needs only a few wrong passwords.
  perAccountAddress: { limit: 3, windowMs: 15 * 60_000 },
};

/**
 * The demo world of `npm start`, in-process: the fake Syncro and MSP360 servers, the real API
 * server on a fresh PostgreSQL database of this test file, the demo partners and users, and their
 * integrations configured against the fakes. Two changes from the demo, so the suites can show
 * the whole path: Northwind's Syncro starts unconfigured (the admin sets it up in the UI) and its
 * MSP360 starts with the working password (the admin breaks it and fixes it).
 *
 * The server can go down (the listening socket closes, every connection dropped) and come back
 * on the SAME port, so the desktop core reconnects to the address it knows.
 */
/** The Syncro customer id Dataforth has in the e2e world (9 in the demo; 9 is the mapping suite's). */
export const worldDataforthCustomer = 20;

export class World {
  app: FastifyInstance | null;
  /** While stopped, the port is held (server/test/portHolder.ts) so no other test server takes it. */
  private releasePort: (() => Promise<void>) | null = null;
  private constructor(
    readonly fakes: FakeVendors,
    readonly server: TestServer,
    readonly seed: DemoSeed,
    readonly vendors: DemoVendorSeed,
    readonly port: number,
    readonly credentials: E2eCredentials,
  ) {
    this.app = server.app;
  }

  static async start(options: { env?: Record<string, string> } = {}): Promise<World> {
    const fakes = await startFakeVendors();
    try {
      const vendors = seedDemoVendors(fakes);
      const northwind = vendors.partners.find((p) => p.partner === 'northwind');
      const login = northwind?.settings.msp360?.api_login;
      const token = northwind?.settings.syncro?.api_token;
      if (!northwind || !login || !token) throw new Error('the demo vendor seed has no Northwind accounts');
      northwind.settings = { msp360: { api_login: login, api_password: vendors.fix.value } };
      const credentials: E2eCredentials = {
        northwindSyncroToken: token,
        northwindSyncroRotated: 'e2e-northwind-syncro-rotated-7788',
        northwindMspLogin: login,
        northwindMspPassword: vendors.fix.value,
        northwindMspOps: 'northwind-ops',
        northwindMspBackup: 'northwind-backup',
      };
      // Generic customer names (the mapping suite picks "Customer 7 Ltd" … "Customer 9 Ltd" and
      // counts 42), except one it never touches: customer 20 is Dataforth here, with the demo's
      // tickets (its open backup ticket among them) for the guided comment flow.
      fakes.syncro.addTenant('northwind', {
        tokens: [{ token }, { token: credentials.northwindSyncroRotated }],
        customers: 42,
        tickets: 0,
        ticketSpecs: demoSyncroTickets('northwind').map((t) => (t.customerId === dataforthBackupTicket.syncroCustomerId ? { ...t, customerId: worldDataforthCustomer } : t)),
        customerNames: { [worldDataforthCustomer]: 'DATAFORTH CORPORATION' },
      });
      for (const extra of [credentials.northwindMspOps, credentials.northwindMspBackup]) {
        fakes.msp360.addAccount({ login: extra, password: credentials.northwindMspPassword, companies: 4, users: 23 });
      }
      const server = await createTestServer({ env: { ...fakes.env, ...options.env }, deps: { loginLimits } });
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = server.app.server.address() as AddressInfo;
      // PUBLIC_BASE_URL: the server's own address, where the fake Syncro fetches attached reports.
      server.publishFilesAt(`http://127.0.0.1:${port}`);
      const seed = await seedDemo(server.deps.db);
      await seedDemoIntegrations(server.deps, seed, vendors);
      return new World(fakes, server, seed, vendors, port, credentials);
    } catch (error) {
      await fakes.close();
      throw error;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get deps(): AppDeps {
    return this.server.deps;
  }

  partnerId(name: 'ACG' | 'Northwind MSP' | 'Contoso Managed IT'): number {
    const partner = this.seed.partners.find((p) => p.name === name);
    if (!partner) throw new Error(`no demo partner ${name}`);
    return partner.id;
  }

  /** Another user of a demo partner (e.g. a second admin working from another client). */
  async addUser(partnerId: number, role: Role): Promise<WorldUser> {
    return makeUser(this.server.deps.db, partnerId, role);
  }

  /** A demo login: `admin@northwind.example`, `tech@contoso.example`, … */
  user(email: string): WorldUser {
    const user = this.seed.users.find((u) => u.email === email);
    if (!user) throw new Error(`no demo user ${email}`);
    return user;
  }

  /** The server goes away: no listener, every open connection (SSE streams too) dropped. */
  async stop(): Promise<void> {
    const app = this.app;
    this.app = null;
    if (!app) return;
    await dropConnectionsWhile(app, app.close());
    this.releasePort = await holdPort(this.port);
  }

  /** The server comes back on the same port, same database. */
  async restart(): Promise<void> {
    if (this.app) return;
    const app = await buildApp(this.server.deps);
    await this.releasePort?.();
    this.releasePort = null;
    await app.listen({ host: '127.0.0.1', port: this.port });
    this.app = app;
  }

  /**
   * A REST call as a demo user (another client of the same server, e.g. a second admin). While
   * the server is stopped it is answered by an app on the same database that listens nowhere:
   * another instance the desktop cannot reach, e.g. a colleague's edit made while it is offline.
   */
  async rest<T = unknown>(method: string, path: string, user: WorldUser, body?: unknown): Promise<{ status: number; json: T }> {
    const token = await this.server.tokenFor(user);
    if (!this.app) {
      const detached = await buildApp(this.server.deps);
      try {
        const res = await detached.inject({ method: method as 'GET', url: path, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
        return { status: res.statusCode, json: (res.body ? JSON.parse(res.body) : null) as T };
      } finally {
        await detached.close();
      }
    }
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
  }

  async close(): Promise<void> {
    await this.stop();
    await this.releasePort?.();
    await this.server.close().catch(() => undefined);
    await this.fakes.close();
  }
}
