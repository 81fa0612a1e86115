import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPrincipalLoader } from './auth/principalLoader.js';
import { createTokenService } from './auth/tokens.js';
import { ConfigError, type Config } from './config.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { createDb } from './db/pool.js';
import { defaultLoginLimits, type AppDeps } from './deps.js';
import { createOAuthTokens } from './services/oauth/tokens.js';
import { configuredLinks, createRegistry, shippedPlugins, type Registry } from './integrations/registry.js';
import type { IntegrationPlugin } from './integrations/types.js';
import { verifyCredentialsKey } from './legacy/bootCheck.js';
import type { CredentialsCipher } from './legacy/credentials.js';
import { loadCredentialsCipher } from './legacy/loadCredentialsKey.js';
import { createMspBackupsMirror } from './legacy/mspbackups/dualWrite.js';
import type { Logger } from './logger.js';
import { createJobEngine } from './jobs/engine.js';
import { startJobWorkers } from './jobs/workers.js';
import { verifyKeyRing } from './secrets/bootCheck.js';
import { createSecretCipher, type SecretCipher } from './secrets/cipher.js';
import { loadKeyRing } from './secrets/loadKeyRing.js';
import { refreshDataKeys, startDataKeyMaintenance } from './secrets/partnerKeys.js';
import { createFeatureFlags } from './services/featureFlags.js';
import { createInteractionLog } from './services/interactions/writer.js';
import { fileTokenKeysFromRing } from './services/files/fileToken.js';
import { createFilePublisher } from './services/files/publisher.js';
import { defaultHealthCheckTimeoutMs } from './services/integrations/health.js';
import { createSyncFeed } from './services/sync/feed.js';

/** A random value kept in DATA_DIR (mode 0600) so the embedded default survives restarts. */
export async function localSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const value = randomBytes(48).toString('base64url');
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/**
 * The registry as the server runs it: the plugins, the links the deployment configures
 * (MSPBACKUPS_PAGE_URL), and MSP360's mirror into the legacy MSPBackups table (dual-write).
 */
export function buildRegistry(
  config: Pick<Config, 'mspbackupsPageUrl'>,
  ciphers: { secrets: SecretCipher; legacyCredentials: CredentialsCipher },
  plugins: readonly IntegrationPlugin[] = shippedPlugins,
): Registry {
  return createRegistry(plugins, { links: configuredLinks(config), mirrors: { msp360: createMspBackupsMirror(ciphers) } });
}

export interface Runtime {
  deps: AppDeps;
  databaseUrl: string;
  embedded: boolean;
  /** The embedded database's files, when this runtime uses the embedded default. */
  embeddedPgData?: string;
  /** Closes the pool, then stops the embedded database if this runtime started it. */
  stop(): Promise<void>;
}

/**
 * Everything below HTTP: the database (embedded when DATABASE_URL is unset), migrations, and
 * the services requests use. With the embedded default, a JWT secret, an encryption key ring
 * and the legacy CREDENTIALS_KEY are generated and kept in DATA_DIR; against an external
 * database they must be configured, since every instance must agree. The plugin registry and
 * the keys are checked before the runtime is returned: a bad plugin, or a key that cannot read
 * the stored secrets, stops the start with a clear message.
 */
export async function startRuntime(
  config: Config,
  log: Logger,
  options: {
    migrate?: boolean;
    reuseRunningEmbedded?: boolean;
    plugins?: readonly IntegrationPlugin[];
    /** Work this instance's share of the job queues (default true; the CLI only sends). */
    jobWorkers?: boolean;
  } = {},
): Promise<Runtime> {
  const ring = await loadKeyRing(config);
  const secrets = createSecretCipher(ring, { dataKeyDelayMs: config.dataKeyDelayMs });
  const legacyCredentials = await loadCredentialsCipher(config);
  const registry = buildRegistry(config, { secrets, legacyCredentials }, options.plugins);
  let jwt = config.jwt;
  if (!jwt.secret && !jwt.jwksUrl) {
    if (config.databaseUrl) {
      throw new ConfigError('Invalid server configuration:\n  JWT_SECRET: set JWT_SECRET (HS256) or JWT_JWKS_URL when DATABASE_URL is set');
    }
    jwt = { ...jwt, secret: await localSecret(config.dataDir, 'jwt-secret') };
  }

  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPgPort,
        reuseRunning: options.reuseRunningEmbedded,
        onLog: (line) => log.debug({ postgres: line }, 'postgres'),
      });
  const databaseUrl = config.databaseUrl ?? (embedded as { url: string }).url;
  try {
    if (options.migrate !== false) await migrate(databaseUrl, { info: (m) => log.info(m) });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  const db = createDb(databaseUrl);
  try {
    await verifyKeyRing(db, secrets);
    await verifyCredentialsKey(db, legacyCredentials);
    // Every partner's data key, unwrapped, before the first request reads a secret (issue 18 §3).
    const dataKeys = await refreshDataKeys(db, secrets);
    if (dataKeys.unreadable > 0) log.warn({ unreadable: dataKeys.unreadable }, 'partner data keys that no ENCRYPTION_KEYS key unwraps: those partners\' secrets cannot be read');
  } catch (error) {
    await db.close();
    await embedded?.stop();
    throw error;
  }
  const interactionLog = createInteractionLog({ db, log });
  let dataKeyMaintenance: { stop(): Promise<void> } | undefined;
  const deps: AppDeps = {
    config: { ...config, jwt },
    db,
    log,
    tokens: createTokenService(jwt),
    principals: createPrincipalLoader(db.pool, config.authCacheTtlMs),
    loginLimits: defaultLoginLimits,
    registry,
    secrets,
    oauth: createOAuthTokens({ db, secrets, log, config }),
    pluginTimeoutMs: defaultHealthCheckTimeoutMs,
    flags: createFeatureFlags(db, config),
    legacyCredentials,
    syncFeed: createSyncFeed({ connectionString: databaseUrl, log }),
    jobs: createJobEngine({ connectionString: databaseUrl, log }),
    interactionLog,
    files: createFilePublisher({ db, publicBaseUrl: config.publicBaseUrl, keys: fileTokenKeysFromRing(ring) }),
  };
  try {
    // pg-boss creates (or migrates) its schema here, so a server that cannot is stopped at boot.
    if (options.jobWorkers !== false) await startJobWorkers(deps);
    // Serving instances keep the data keys current and move old-format secrets onto them.
    if (options.jobWorkers !== false) dataKeyMaintenance = startDataKeyMaintenance(deps);
  } catch (error) {
    await deps.jobs.stop().catch(() => undefined);
    await db.close();
    await embedded?.stop();
    throw error;
  }
  return {
    deps,
    databaseUrl,
    embedded: embedded !== undefined,
    embeddedPgData: embedded?.pgData,
    async stop() {
      // Running jobs are told to stop first: they go back to the queue while the pool is still open.
      await deps.jobs.stop();
      await dataKeyMaintenance?.stop();
      await deps.syncFeed.stop();
      // Vendor calls finished before the stop are written while the pool is still open.
      await interactionLog.stop();
      await db.close();
      await embedded?.stop();
    },
  };
}
