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
      msp360BaseUrl: 'https://api.mspbackups.com',
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

  it('refuses both JWT_SECRET and JWT_JWKS_URL', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(40), JWT_JWKS_URL: 'https://idp.test/jwks' })).toThrow(/not both/);
  });
});
