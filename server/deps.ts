import type { RateLimitRule } from './auth/rateLimit.js';
import type { PrincipalLoader } from './auth/principalLoader.js';
import type { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/pool.js';
import type { Registry } from './integrations/registry.js';
import type { InteractionRecorder } from './integrations/http/interactionScope.js';
import type { JobEngine } from './jobs/engine.js';
import type { CredentialsCipher } from './legacy/credentials.js';
import type { Logger } from './logger.js';
import type { SecretCipher } from './secrets/cipher.js';
import type { OAuthTokens } from './services/oauth/tokens.js';
import type { FeatureFlags } from './services/featureFlags.js';
import type { SyncFeed } from './services/sync/feed.js';

/** Everything a request or job needs, built once at boot and passed down (no module singletons). */
export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  tokens: TokenService;
  /** The user behind a token, briefly cached (AUTH_CACHE_TTL). */
  principals: PrincipalLoader;
  loginLimits: { perIp: RateLimitRule; perAccountAddress: RateLimitRule };
  /** The integrations this server offers (checked at start-up). */
  registry: Registry;
  /** Encrypts and decrypts stored secrets with the ENCRYPTION_KEYS ring (checked at start-up). */
  secrets: SecretCipher;
  /** Issue 16: OAuth2 tokens of partners' connections, stored encrypted and refreshed one at a time. */
  oauth: OAuthTokens;
  /** Time budget of one call into a plugin (health check, configure hook). */
  pluginTimeoutMs: number;
  /** Feature flags (global values, per-partner overrides), as requests read them. */
  flags: FeatureFlags;
  /** The legacy MSPBackups credentials module (CREDENTIALS_KEY), until mspbackups_config is dropped. */
  legacyCredentials: CredentialsCipher;
  /** Sync change notifications (one LISTEN connection, opened on first use). */
  syncFeed: SyncFeed;
  /** The durable job queue (pg-boss), started on first use or by the runtime (server/jobs). */
  jobs: JobEngine;
  /**
   * Issue 15: writes the interaction log off the hot path (one row per outbound vendor call).
   * Work on a partner's integration passes it as the `record` of its interaction scope.
   */
  interactionLog?: InteractionRecorder;
  /** Issue 15: serves files vendors fetch themselves at signed single-use URLs (PUBLIC_BASE_URL). */
  files?: FilePublisher;
}

/** Publishes a partner's file at a signed, single-use URL that expires in 15 minutes. */
export interface FilePublisher {
  /** False when PUBLIC_BASE_URL is not configured: nothing can be published. */
  readonly enabled: boolean;
  publish(partnerId: number, file: { filename: string; contentType: string; body: Buffer }): Promise<{ url: string; expiresAt: Date }>;
  /**
   * What the public route `GET /files/:token` serves: the file, once. `forged`: not a token this
   * server signed (refused before any database read); `gone`: used, expired or pruned.
   */
  fetchOnce(token: string): Promise<{ file: { filename: string; contentType: string; body: Buffer } } | { refused: 'forged' | 'gone' }>;
}

export const defaultLoginLimits: AppDeps['loginLimits'] = {
  // Generous per address (an office behind one NAT), strict per account from one address
  // (password guessing). Not per account alone: then anyone who knows an email could lock its
  // owner out from anywhere (issue 20 §7.5, OWASP's account-lockout denial of service).
  perIp: { limit: 30, windowMs: 60_000 },
  perAccountAddress: { limit: 10, windowMs: 15 * 60_000 },
};
