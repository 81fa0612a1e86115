import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the defaults of the design brief', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      host: '127.0.0.1',
      port: 8787,
      syncroBaseUrl: 'https://{subdomain}.syncromsp.com/api/v1',
      syncroRequestsPerMinute: 180,
      msp360BaseUrl: 'https://api.mspbackups.com',
      huntressBaseUrl: 'https://api.huntress.io',
      levelBaseUrl: 'https://api.level.io',
      allowPrivateNetwork: false,
      healthCheckIntervalMs: 15 * 60_000,
      featureIntegrationCenter: true,
    });
  });

  it('parses durations and flags', () => {
    const config = loadConfig({ HEALTH_CHECK_INTERVAL: '30s', INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true', JWT_TTL: '2h' });
    expect(config.healthCheckIntervalMs).toBe(30_000);
    expect(config.allowPrivateNetwork).toBe(true);
    expect(config.jwt.ttlMs).toBe(7_200_000);
  });

  it('keeps action results 7 days and gives a run 60 s by default; both are checked durations', () => {
    expect(loadConfig({}).actions).toEqual({ resultTtlMs: 7 * 24 * 3_600_000, timeoutMs: 60_000 });
    expect(loadConfig({ ACTION_RESULT_TTL: '36h', ACTION_TIMEOUT: '15s' }).actions).toEqual({ resultTtlMs: 36 * 3_600_000, timeoutMs: 15_000 });
    expect(() => loadConfig({ ACTION_RESULT_TTL: 'forever' })).toThrow(/ACTION_RESULT_TTL/);
    expect(() => loadConfig({ ACTION_TIMEOUT: '0' })).toThrow(/ACTION_TIMEOUT/);
  });

  it('stops with one readable line per bad value', () => {
    const bad = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HEALTH_CHECK_INTERVAL: 'often', JWT_SECRET: 'short', FEATURE_INTEGRATION_CENTER: 'maybe' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const lines = (error as Error).message.split('\n').slice(1);
      expect(lines.map((l) => l.trim().split(':')[0]).sort()).toEqual(
        ['DATABASE_URL', 'FEATURE_INTEGRATION_CENTER', 'HEALTH_CHECK_INTERVAL', 'JWT_SECRET', 'PORT'].sort(),
      );
    }
  });

  it('takes WEBHOOK_PORTS as "any" or a list of ports, defaulting to 80 and 443 unless the private network is allowed', () => {
    expect(loadConfig({}).webhookPorts).toEqual([80, 443]);
    expect(loadConfig({ INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' }).webhookPorts).toBe('any');
    expect(loadConfig({ WEBHOOK_PORTS: '443, 8443,443' }).webhookPorts).toEqual([443, 8443]);
    expect(loadConfig({ WEBHOOK_PORTS: 'ANY' }).webhookPorts).toBe('any');
    for (const bad of ['0', '70000', 'http', '443;80']) expect(() => loadConfig({ WEBHOOK_PORTS: bad })).toThrow(/WEBHOOK_PORTS: must be "any" or comma-separated ports/);
  });

  it('takes SYNCRO_REQUESTS_PER_MINUTE as a whole number of at least 2', () => {
    expect(loadConfig({ SYNCRO_REQUESTS_PER_MINUTE: '60' }).syncroRequestsPerMinute).toBe(60);
    for (const bad of ['1', '0', '12.5', 'lots']) expect(() => loadConfig({ SYNCRO_REQUESTS_PER_MINUTE: bad }), bad).toThrow(/SYNCRO_REQUESTS_PER_MINUTE/);
  });

  it('refuses both JWT_SECRET and JWT_JWKS_URL', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(40), JWT_JWKS_URL: 'https://idp.test/jwks' })).toThrow(/not both/);
  });

  /** The lines of the ConfigError for `env`, or [] when it loads. */
  function problems(env: Record<string, string>): string[] {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.message.split('\n').slice(1).map((l) => l.trim());
    }
  }

  it('takes JWT_JWKS_URL over https, and over plain http only from loopback', () => {
    const message = 'JWT_JWKS_URL: must be an https URL (plain http only for 127.0.0.1, localhost or ::1)';
    for (const url of ['http://idp.example.com/jwks', 'http://10.0.0.5/jwks', 'http://127.0.0.1.nip.io/jwks', 'ftp://idp.example.com/jwks', 'not a url']) {
      expect(problems({ JWT_JWKS_URL: url, JWT_ISSUER: 'https://idp.example.com', JWT_AUDIENCE: 'integration-center' }), url).toEqual([message]);
    }
    for (const url of ['https://idp.example.com/.well-known/jwks.json', 'http://127.0.0.1:9000/jwks', 'http://localhost:9000/jwks', 'http://[::1]:9000/jwks']) {
      const env = { JWT_JWKS_URL: url, JWT_ISSUER: 'https://idp.example.com', JWT_AUDIENCE: 'integration-center' };
      expect(problems(env), url).toEqual([]);
      expect(loadConfig(env).jwt.jwksUrl).toBe(url);
    }
  });

  it('takes PUBLIC_BASE_URL over https (http only on loopback), as a base without query; unset publishes nothing', () => {
    expect(loadConfig({}).publicBaseUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_BASE_URL: ' ' }).publicBaseUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ic.example.com/' }).publicBaseUrl).toBe('https://ic.example.com');
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://127.0.0.1:8787' }).publicBaseUrl).toBe('http://127.0.0.1:8787');
    const message = 'PUBLIC_BASE_URL: must be an https URL without query or fragment (plain http only for 127.0.0.1, localhost or ::1)';
    for (const url of ['http://ic.example.com', 'https://ic.example.com/?x=1', 'https://ic.example.com/#top', 'https://user@ic.example.com', 'ftp://ic.example.com', 'ic.example.com']) {
      expect(problems({ PUBLIC_BASE_URL: url }), url).toEqual([message]);
    }
  });

  it('checks SYNCRO_BASE_URL at boot: http(s), with {subdomain} where it picks the host or path', () => {
    expect(problems({ SYNCRO_BASE_URL: 'https://api.syncromsp.com/api/v1' })).toEqual([
      'SYNCRO_BASE_URL: must contain {subdomain}, e.g. https://{subdomain}.syncromsp.com/api/v1',
    ]);
    expect(problems({ SYNCRO_BASE_URL: 'ftp://{subdomain}.syncromsp.com/api/v1' })).toEqual(['SYNCRO_BASE_URL: must be an http(s) URL']);
    expect(problems({ SYNCRO_BASE_URL: '{subdomain}.syncromsp.com' })).toEqual(['SYNCRO_BASE_URL: is not a valid URL once {subdomain} is filled in']);
    // Every partner's token would reach the same host and path.
    for (const url of ['https://api.example.com/v1?account={subdomain}', 'https://{subdomain}@api.example.com/v1', 'https://api.example.com/v1#{subdomain}']) {
      expect(problems({ SYNCRO_BASE_URL: url }), url).toEqual(['SYNCRO_BASE_URL: must have {subdomain} in the host name or the path']);
    }
    for (const url of ['https://{subdomain}.syncromsp.com/api/v1', 'http://127.0.0.1:4000/{subdomain}/api/v1']) {
      expect(loadConfig({ SYNCRO_BASE_URL: url }).syncroBaseUrl, url).toBe(url);
    }
  });

  it('takes only an http(s) MSP360_BASE_URL', () => {
    for (const url of ['ftp://api.mspbackups.com', 'javascript:alert(1)', 'file:///etc/passwd', 'api.mspbackups.com']) {
      expect(problems({ MSP360_BASE_URL: url }), url).toEqual(['MSP360_BASE_URL: must be an http(s) URL']);
    }
    expect(loadConfig({ MSP360_BASE_URL: 'http://127.0.0.1:4100' }).msp360BaseUrl).toBe('http://127.0.0.1:4100');
  });

  it('reports each bad URL on its own line', () => {
    expect(problems({ JWT_JWKS_URL: 'http://idp.example.com/jwks', JWT_ISSUER: 'https://idp.example.com', JWT_AUDIENCE: 'ic', SYNCRO_BASE_URL: 'https://api.syncromsp.com', MSP360_BASE_URL: 'ftp://x' }).map((l) => l.split(':')[0]).sort()).toEqual([
      'JWT_JWKS_URL',
      'MSP360_BASE_URL',
      'SYNCRO_BASE_URL',
    ]);
  });
});
