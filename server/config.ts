import path from 'node:path';
import ms from 'ms';
import { z } from 'zod';
import { SyncroUrlError, syncroBaseUrl } from './integrations/syncro/settings.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parsed = ms(value as ms.StringValue);
      if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 15m, 1h or 30s` });
        return z.NEVER;
      }
      return parsed;
    });

/** A duration that may be zero (meaning "off"), e.g. a cache lifetime. */
const durationOrZero = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const parsed = value.trim() === '0' ? 0 : ms(value as ms.StringValue);
      if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 0) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 1s or 0` });
        return z.NEVER;
      }
      return parsed;
    });

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value)));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

// Plain http only where nobody else is on the wire: the JWKS decides which tokens are genuine, so
// fetching it over the network unencrypted would let anyone on the path mint valid tokens.
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);
function secureOrLoopback(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}
const jwksUrl = optionalText.refine((value) => value === undefined || secureOrLoopback(value), {
  error: 'must be an https URL (plain http only for 127.0.0.1, localhost or ::1)',
});

/**
 * PUBLIC_BASE_URL: where vendors reach this server to fetch published files (Syncro's
 * attach_file_url downloads the report itself). https, or http on loopback (the demo and tests,
 * where the fake vendor runs on the same machine); a base only, no query or fragment. Unset:
 * nothing is published and the actions that need it say so.
 */
const publicBaseUrl = optionalText.refine(
  (value) => value === undefined || (secureOrLoopback(value) && new URL(value).search === '' && new URL(value).hash === '' && new URL(value).username === ''),
  { error: 'must be an https URL without query or fragment (plain http only for 127.0.0.1, localhost or ::1)' },
);

const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), { error: 'must be an http(s) URL' });

/**
 * SYNCRO_BASE_URL is a template: `{subdomain}` is replaced by each partner's validated label. It
 * is checked here with the function the Syncro plugin uses, so a template that could never work
 * (or would send every partner's token to one host) stops the boot instead of each health check.
 */
const syncroTemplate = z
  .string()
  .default('https://{subdomain}.syncromsp.com/api/v1')
  .superRefine((value, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (!value.includes('{subdomain}')) return problem('must contain {subdomain}, e.g. https://{subdomain}.syncromsp.com/api/v1');
    const filled = value.replaceAll('{subdomain}', 'probe');
    if (!URL.canParse(filled)) return problem('is not a valid URL once {subdomain} is filled in');
    if (!['http:', 'https:'].includes(new URL(filled).protocol)) return problem('must be an http(s) URL');
    let one: URL;
    let other: URL;
    try {
      one = syncroBaseUrl(value, 'probe-one');
      other = syncroBaseUrl(value, 'probe-two');
    } catch (error) {
      if (!(error instanceof SyncroUrlError)) throw error;
      return problem(error.message.replace(/^Server misconfiguration: (SYNCRO_BASE_URL )?/, ''));
    }
    // In the query, fragment or user name the label would be dropped or ignored when routing.
    if (one.host + one.pathname === other.host + other.pathname) return problem('must have {subdomain} in the host name or the path');
  });

/** `any`, or a comma-separated list of TCP ports (1–65535). */
const webhookPorts = optionalText.pipe(
  z
    .string()
    .transform((text, ctx): 'any' | number[] => {
      if (text.trim().toLowerCase() === 'any') return 'any';
      const ports = text.split(',').map((p) => p.trim());
      if (ports.some((p) => !/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535)) {
        ctx.addIssue({ code: 'custom', message: 'must be "any" or comma-separated ports between 1 and 65535' });
        return z.NEVER;
      }
      return [...new Set(ports.map(Number))];
    })
    .optional(),
);

/** The server's environment, validated once at boot (design brief, "Server environment"). */
export const envSchema = z
  .object({
    DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    DATA_DIR: z.string().default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    JWT_JWKS_URL: jwksUrl,
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_TTL: duration('8h'),
    // Issue 20 §7.8: the longest a token may live (exp − iat), for tokens from an identity
    // provider above all; 0 (the default) sets no maximum beyond each token's own expiry.
    JWT_MAX_LIFETIME: durationOrZero('0'),
    AUTH_CACHE_TTL: durationOrZero('1s'),
    ENCRYPTION_KEYS: optionalText,
    // Issue 18 §3: how long a new partner data key only decrypts before it also encrypts, so that
    // every instance (refreshing every 15 s) holds it before any secret needs it. One instance: 0.
    DATA_KEY_DELAY: durationOrZero('60s'),
    CREDENTIALS_KEY: optionalText,
    SYNCRO_BASE_URL: syncroTemplate,
    // Syncro counts 180 requests a minute per source IP address (vendor-apis.md §1): this is the
    // share of it one instance may use; N instances behind one egress address take 180/N each.
    SYNCRO_REQUESTS_PER_MINUTE: z.coerce.number().int().min(2).max(100_000).default(180),
    MSP360_BASE_URL: httpUrl('https://api.mspbackups.com'),
    // Issue 17: the vendors' API roots (vendor-apis.md §5, §6); tests and the demo point them at the fakes.
    HUNTRESS_BASE_URL: httpUrl('https://api.huntress.io'),
    LEVEL_BASE_URL: httpUrl('https://api.level.io'),
    // Issue 16: NinjaOne's host is the partner's instance choice and Microsoft's hosts are fixed;
    // these point them at fakes (tests, the demo) and are refused unless VENDOR_EMULATORS is on,
    // so a real client secret can never be sent to a fake by a stray variable (vendor-apis.md §7).
    VENDOR_EMULATORS: flag(false),
    NINJAONE_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    MICROSOFT_LOGIN_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    TEAMS_SERVICE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    // Issue 26: one fake standing in for Microsoft 365's three hosts (login, Graph, Partner Center).
    MICROSOFT365_EMULATOR_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    PUBLIC_BASE_URL: publicBaseUrl,
    INTEGRATIONS_ALLOW_PRIVATE_NETWORK: flag(false),
    // Issue 20 §7.4: the ports an alert webhook may use, so "Send test delivery" cannot probe
    // arbitrary ports. Unset: 80 and 443, or any port where the private network is allowed.
    WEBHOOK_PORTS: webhookPorts,
    HEALTH_CHECK_INTERVAL: duration('15m'),
    HEALTH_SCHEDULER: flag(true),
    HEALTH_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(256),
    HEALTH_HISTORY_RETENTION: duration('30d'),
    // Issue 15: how long a side-effectful action's stored result answers a retry with its key.
    ACTION_RESULT_TTL: duration('7d'),
    // Issue 15: the time budget of one action run (its vendor calls); past it the run fails.
    ACTION_TIMEOUT: duration('60s'),
    // How long the interaction log keeps a vendor call (issue 15); pruned on a schedule.
    INTERACTION_LOG_RETENTION: duration('30d'),
    // Issue 18 §5: inbound webhook processing retries (then the delivery is dead) and the first
    // retry's delay, doubling (with jitter) for each one after it.
    INBOUND_WEBHOOK_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
    INBOUND_WEBHOOK_RETRY_DELAY: duration('30s'),
    // Issue 25: requests one AI assistant token may send to /mcp per minute (all instances together).
    MCP_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(240),
    FEATURE_INTEGRATION_CENTER: flag(true),
    MSPBACKUPS_PAGE_URL: z.url({ protocol: /^https$/, error: 'must be an https URL' }).default('https://mspbackups.com'),
    // Issue 20 §8: the operator's Bearer token for GET /metrics; unset, there is no such route.
    METRICS_TOKEN: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: flag(false),
  })
  .superRefine((env, ctx) => {
    if (env.JWT_SECRET && env.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'set JWT_SECRET or JWT_JWKS_URL, not both' });
    }
    // An identity provider's keys may sign tokens for other applications too: only the issuer
    // and audience claims tell ours apart, so with JWT_JWKS_URL both are checked, never optional.
    if (env.JWT_JWKS_URL) {
      for (const key of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required with JWT_JWKS_URL, so tokens the identity provider signed for other applications are refused' });
      }
    }
    if (!env.VENDOR_EMULATORS) {
      for (const key of ['NINJAONE_BASE_URL', 'MICROSOFT_LOGIN_BASE_URL', 'TEAMS_SERVICE_URL', 'MICROSOFT365_EMULATOR_URL'] as const) {
        if (env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'points a vendor at an emulator: allowed only with VENDOR_EMULATORS=true (tests and the demo)' });
      }
    }
    if (env.JWT_MAX_LIFETIME > 0 && env.JWT_TTL > env.JWT_MAX_LIFETIME) {
      ctx.addIssue({ code: 'custom', path: ['JWT_TTL'], message: 'must not be longer than JWT_MAX_LIFETIME' });
    }
  });

/** The environment turned into the shape the server uses. */
export const configSchema = envSchema.transform((env) => ({
  databaseUrl: env.DATABASE_URL,
  host: env.HOST,
  port: env.PORT,
  dataDir: path.resolve(env.DATA_DIR),
  embeddedPgPort: env.EMBEDDED_PG_PORT,
  jwt: {
    secret: env.JWT_SECRET,
    jwksUrl: env.JWT_JWKS_URL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    ttlMs: env.JWT_TTL,
    /** 0: no maximum. */
    maxLifetimeMs: env.JWT_MAX_LIFETIME,
  },
  authCacheTtlMs: env.AUTH_CACHE_TTL,
  encryptionKeys: env.ENCRYPTION_KEYS,
  dataKeyDelayMs: env.DATA_KEY_DELAY,
  credentialsKey: env.CREDENTIALS_KEY,
  syncroBaseUrl: env.SYNCRO_BASE_URL,
  syncroRequestsPerMinute: env.SYNCRO_REQUESTS_PER_MINUTE,
  msp360BaseUrl: env.MSP360_BASE_URL,
  huntressBaseUrl: env.HUNTRESS_BASE_URL,
  levelBaseUrl: env.LEVEL_BASE_URL,
  /**
   * Fakes standing in for vendor hosts a partner cannot choose freely (issue 16); undefined in
   * production. Each plugin uses its own entry in place of the real host when set.
   */
  emulators: env.VENDOR_EMULATORS
    ? { ninjaone: env.NINJAONE_BASE_URL, microsoftLogin: env.MICROSOFT_LOGIN_BASE_URL, teamsService: env.TEAMS_SERVICE_URL, microsoft365: env.MICROSOFT365_EMULATOR_URL }
    : undefined,
  /** Without a trailing slash; undefined: files cannot be published. */
  publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
  allowPrivateNetwork: env.INTEGRATIONS_ALLOW_PRIVATE_NETWORK,
  webhookPorts: env.WEBHOOK_PORTS ?? (env.INTEGRATIONS_ALLOW_PRIVATE_NETWORK ? ('any' as const) : [80, 443]),
  healthCheckIntervalMs: env.HEALTH_CHECK_INTERVAL,
  health: {
    scheduler: env.HEALTH_SCHEDULER,
    concurrency: env.HEALTH_CHECK_CONCURRENCY,
    historyRetentionMs: env.HEALTH_HISTORY_RETENTION,
  },
  actions: { resultTtlMs: env.ACTION_RESULT_TTL, timeoutMs: env.ACTION_TIMEOUT },
  interactionLogRetentionMs: env.INTERACTION_LOG_RETENTION,
  inboundWebhooks: { retries: env.INBOUND_WEBHOOK_RETRIES, retryDelaySeconds: Math.max(1, Math.round(env.INBOUND_WEBHOOK_RETRY_DELAY / 1000)) },
  featureIntegrationCenter: env.FEATURE_INTEGRATION_CENTER,
  mcp: { requestsPerMinute: env.MCP_REQUESTS_PER_MINUTE },
  mspbackupsPageUrl: env.MSPBACKUPS_PAGE_URL,
  metricsToken: env.METRICS_TOKEN,
  logLevel: env.LOG_LEVEL,
  trustProxy: env.TRUST_PROXY,
}));
export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; a bad value throws with one readable line per problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`Invalid server configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
