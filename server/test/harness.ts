import { mkdtemp } from 'node:fs/promises';
import { dropConnectionsWhile } from './dropConnections.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createPrincipalLoader } from '../auth/principalLoader.js';
import { createTokenService } from '../auth/tokens.js';
import { loadConfig, type Config } from '../config.js';
import { defaultLoginLimits, type AppDeps } from '../deps.js';
import { createOAuthTokens } from '../services/oauth/tokens.js';
import { buildApp } from '../http/app.js';
import type { IntegrationPlugin } from '../integrations/types.js';
import { loadCredentialsCipher } from '../legacy/loadCredentialsKey.js';
import { buildRegistry } from '../runtime.js';
import { verifyKeyRing } from '../secrets/bootCheck.js';
import { createSecretCipher } from '../secrets/cipher.js';
import { loadKeyRing } from '../secrets/loadKeyRing.js';
import { createFeatureFlags } from '../services/featureFlags.js';
import { createInteractionLog, type InteractionLog } from '../services/interactions/writer.js';
import { fileTokenKeysFromRing } from '../services/files/fileToken.js';
import { createFilePublisher } from '../services/files/publisher.js';
import { defaultHealthCheckTimeoutMs } from '../services/integrations/health.js';
import { createSyncFeed } from '../services/sync/feed.js';
import { createJobEngine } from '../jobs/engine.js';
import { createCaller } from '../routers/index.js';
import { createContext } from '../trpc/context.js';
import { captureLogs } from './logCapture.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import type { Role } from '../../shared/auth.js';

export const testJwtSecret = 'test-secret-that-is-long-enough-0123456789';
/** A fixed key ring for tests (never used outside them). */
export const testEncryptionKeys = `test1:${Buffer.alloc(32, 7).toString('base64')}`;
/** A fixed legacy CREDENTIALS_KEY for tests. */
export const testCredentialsKey = Buffer.alloc(32, 9).toString('base64');

export interface TestServer {
  deps: AppDeps;
  app: FastifyInstance;
  database: TestDatabase;
  logs: ReturnType<typeof captureLogs>;
  /** The interaction log's writer (deps.interactionLog): `flush()` before reading its rows. */
  interactionLog: InteractionLog;
  /** A bearer token for a user, signed like a login would. */
  tokenFor(user: { id: number; partnerId: number; role: Role }): Promise<string>;
  /**
   * Publishes files under this base URL from now on (PUBLIC_BASE_URL), e.g. the address the test
   * server came to listen on, which is known only after it listens: a vendor fake fetches there.
   */
  publishFilesAt(baseUrl: string): void;
  /** A tRPC caller as if the request carried this Authorization header. */
  caller(authorization?: string): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

/**
 * A real server (fastify, tRPC, PostgreSQL database of its own) driven through `app.inject`.
 * `plugins` replaces the shipped registry (tests register controllable test plugins).
 */
export async function createTestServer(
  options: { env?: Record<string, string>; deps?: Partial<AppDeps>; plugins?: readonly IntegrationPlugin[] } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-test-data-'));
  const config: Config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    JWT_SECRET: testJwtSecret,
    // Uncached unless a test asks: token attacks flip users and partners between requests.
    AUTH_CACHE_TTL: '0',
    ENCRYPTION_KEYS: testEncryptionKeys,
    CREDENTIALS_KEY: testCredentialsKey,
    ...options.env,
  });
  const logs = captureLogs();
  const ring = await loadKeyRing(config);
  // Data keys a test makes (ensureDataKeys) encrypt at once: one instance, no delay to wait out.
  const secrets = createSecretCipher(ring, { dataKeyDelayMs: 0 });
  await verifyKeyRing(database.db, secrets);
  const legacyCredentials = await loadCredentialsCipher(config);
  // Flushes quickly so tests read what was just recorded without waiting long.
  const interactionLog = createInteractionLog({ db: database.db, log: logs.log, flushMs: 20 });
  const deps: AppDeps = {
    config,
    db: database.db,
    log: logs.log,
    tokens: createTokenService(config.jwt),
    principals: createPrincipalLoader(database.db.pool, config.authCacheTtlMs),
    loginLimits: defaultLoginLimits,
    registry: buildRegistry(config, { secrets, legacyCredentials }, options.plugins),
    secrets,
    oauth: createOAuthTokens({ db: database.db, secrets, log: logs.log, config }),
    pluginTimeoutMs: defaultHealthCheckTimeoutMs,
    // Uncached, so a flag set by a test (or its CLI run) is seen by the next request.
    flags: createFeatureFlags(database.db, config, { cacheMs: 0 }),
    legacyCredentials,
    syncFeed: createSyncFeed({ connectionString: database.url, log: logs.log }),
    // Started only by a test that sends or works jobs (pg-boss's schema costs a moment).
    jobs: createJobEngine({ connectionString: database.url, log: logs.log, pollingIntervalSeconds: 0.5, stopTimeoutMs: 2_000 }),
    interactionLog,
    // Disabled unless the test's env sets PUBLIC_BASE_URL (e.g. to the address it listens on).
    files: createFilePublisher({ db: database.db, publicBaseUrl: config.publicBaseUrl, keys: fileTokenKeysFromRing(ring) }),
    ...options.deps,
  };
  const app = await buildApp(deps);
  return {
    deps,
    app,
    database,
    logs,
    interactionLog,
    publishFilesAt(baseUrl) {
      deps.files = createFilePublisher({ db: database.db, publicBaseUrl: loadConfig({ PUBLIC_BASE_URL: baseUrl }).publicBaseUrl, keys: fileTokenKeysFromRing(ring) });
    },
    tokenFor: async (user) => (await deps.tokens.sign({ userId: user.id, partnerId: user.partnerId, role: user.role })).token,
    caller: (authorization) =>
      createCaller(createContext(deps, { authorization, ip: '127.0.0.1', requestId: 'test', log: logs.log })),
    async close() {
      await dropConnectionsWhile(app, app.close());
      await deps.jobs.stop();
      await deps.syncFeed.stop();
      await interactionLog.stop();
      await database.drop();
    },
  };
}
