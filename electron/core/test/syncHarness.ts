import { mkdtemp, rm } from 'node:fs/promises';
import { dropConnectionsWhile } from '../../../server/test/dropConnections.js';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../../shared/auth.js';
import type { AppDeps } from '../../../server/deps.js';
import { buildApp } from '../../../server/http/app.js';
import { createRegistry } from '../../../server/integrations/registry.js';
import { createControllablePlugin } from '../../../server/integrations/testing/controllablePlugin.js';
import type { IntegrationPlugin } from '../../../server/integrations/types.js';
import { makePartner, makeUser } from '../../../server/test/factories.js';
import { createTestServer, type TestServer } from '../../../server/test/harness.js';
import { holdPort } from '../../../server/test/portHolder.js';
import { createDesktopCore, type DesktopCore, type DesktopCoreOptions } from '../desktopCore.js';
import { aesGcmSecretBox } from '../secrets/secretBox.js';
import { fileTokenStore } from '../session/tokenStore.js';

/** The controllable plugins the sync tests run against (no vendor fakes needed). */
export function syncTestPlugins(): IntegrationPlugin[] {
  return [
    createControllablePlugin().plugin,
    createControllablePlugin({
      key: 'otherbackup',
      name: 'Other Backup',
      category: 'Backup',
      fields: [
        { key: 'login', label: 'API login', kind: 'Text', required: true, help: '' },
        { key: 'password', label: 'API password', kind: 'Secret', required: true, help: '' },
      ],
    }).plugin,
  ];
}

export interface SyncUser {
  id: number;
  email: string;
  password: string;
  partnerId: number;
  role: Role;
  /** `Bearer …` for REST calls made "by another client". */
  auth: string;
}

/**
 * The real server (Fastify + tRPC + its own PostgreSQL database) on a fixed loopback port that
 * can go down and come back (a new app on the same deps and database), so desktop cores can
 * be driven through outages, restarts and a server dying mid-request.
 */
export class SyncServer {
  app: FastifyInstance | null = null;
  port = 0;
  private constructor(readonly server: TestServer) {}

  /** `env`: server settings on top of the test ones (a vendor fake's base URL). */
  static async start(plugins: IntegrationPlugin[] = syncTestPlugins(), env?: Record<string, string>): Promise<SyncServer> {
    const s = new SyncServer(await createTestServer({ plugins, ...(env ? { env } : {}) }));
    s.app = s.server.app;
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    s.port = (s.app.server.address() as AddressInfo).port;
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get deps(): AppDeps {
    return this.server.deps;
  }

  async user(partnerId: number, role: Role = 'partner_admin'): Promise<SyncUser> {
    const made = await makeUser(this.deps.db, partnerId, role);
    return { ...made, auth: `Bearer ${await this.server.tokenFor(made)}` };
  }

  partner(options: { name?: string; isDev?: boolean } = {}) {
    return makePartner(this.deps.db, options);
  }

  /** The server goes away: no listener, every open connection dropped. */
  /** A close still under way: up() waits for it, since the port is free only when it ends. */
  #closing: Promise<void> = Promise.resolve();
  /** While down, the port is held (server/test/portHolder.ts) so no other test server takes it. */
  #releasePort: (() => Promise<void>) | null = null;

  async down(): Promise<void> {
    const app = this.app;
    this.app = null;
    if (!app) return this.#closing;
    this.#closing = dropConnectionsWhile(app, app.close()).then(async () => {
      this.#releasePort = await holdPort(this.port);
    });
    await this.#closing;
  }

  /**
   * The server comes back on the same port, optionally with another registry (a catalog
   * change) or a hook to install before it listens (e.g. to die in the middle of a request).
   */
  async up(options: { plugins?: IntegrationPlugin[]; beforeListen?: (app: FastifyInstance) => void } = {}): Promise<void> {
    await this.#closing.catch(() => undefined);
    await this.#releasePort?.();
    this.#releasePort = null;
    if (options.plugins) this.server.deps.registry = createRegistry(options.plugins);
    const app = await buildApp(this.server.deps);
    options.beforeListen?.(app);
    await app.listen({ host: '127.0.0.1', port: this.port });
    this.app = app;
  }

  /**
   * A REST call as a user (another client of the same server). While this server is down it is
   * answered by an app on the same deps that listens nowhere: another instance the desktop
   * cannot reach, e.g. a colleague's edit made while this desktop is offline.
   */
  async rest(method: string, url: string, user: SyncUser, body?: unknown): Promise<{ status: number; json: () => unknown }> {
    if (!this.app) {
      const detached = await buildApp(this.server.deps);
      try {
        const res = await detached.inject({ method: method as 'GET', url, headers: { authorization: user.auth }, ...(body === undefined ? {} : { payload: body as object }) });
        return { status: res.statusCode, json: () => JSON.parse(res.body) };
      } finally {
        await detached.close();
      }
    }
    const response = await fetch(`${this.url}${url}`, {
      method,
      headers: { authorization: user.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: () => JSON.parse(text) };
  }

  async close(): Promise<void> {
    await this.down().catch(() => undefined);
    await this.#releasePort?.();
    await this.server.close().catch(() => undefined);
  }
}

export interface CoreHandle {
  core: DesktopCore;
  dir: string;
  /** Closes the core, as quitting the app would (the data dir stays). */
  close(): Promise<void>;
}

export type EngineOptions = NonNullable<DesktopCoreOptions['engineOptions']>;

/** Fast retries and no polling: anything that arrives quickly came from a retry or a poke. */
export const fastEngine: EngineOptions = { backoff: { baseMs: 40, maxMs: 250 }, pollIntervalMs: 600_000 };

/** A desktop core with a data dir of its own (or `dir`, to reopen one), against `url`. */
export async function openCore(
  url: string,
  dir?: string,
  engineOptions: EngineOptions = fastEngine,
  extra: Pick<DesktopCoreOptions, 'fleetPaging' | 'fetch'> = {},
): Promise<CoreHandle> {
  const dataDir = dir ?? (await mkdtemp(path.join(tmpdir(), 'ic-core-')));
  const core = await createDesktopCore({
    serverUrl: url,
    dataDir,
    tokenStore: fileTokenStore(dataDir),
    secretBox: aesGcmSecretBox(Buffer.alloc(32, 9)),
    engineOptions,
    ...extra,
  });
  return { core, dir: dataDir, close: () => core.close() };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

