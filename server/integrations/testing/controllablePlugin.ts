import type { Category } from '../../../shared/integrations/catalog.js';
import type { FieldSpec } from '../../../shared/integrations/fields.js';
import { Health, type HealthResult, type IntegrationPlugin, type PluginContext, type PluginSettings } from '../types.js';

/**
 * A plugin whose "vendor" is an in-memory object the test (or benchmark) controls. It is never
 * in shippedPlugins; tests pass it to createTestServer({ plugins }).
 *
 * Its health check behaves like a real one: an unknown API token is an Error, a known one is Ok
 * or whatever `outcome` says (Degraded, Error, an exception, or no answer at all).
 */
export interface TestVendor {
  /** Tokens the vendor accepts; 'any' accepts every token. */
  acceptedTokens: Set<string> | 'any';
  outcome: 'ok' | 'degraded' | 'error' | 'throw' | 'hang';
  message: string;
  /** Every check the vendor received, with the settings it was called with. */
  checks: PluginSettings[];
  /** The server configuration each check was given. */
  configs: PluginContext['config'][];
}

/** One field of every kind, so tests exercise all of FieldSpec. */
export const testPluginFields: FieldSpec[] = [
  { key: 'subdomain', label: 'Subdomain', kind: 'Text', required: true, help: 'The account name', pattern: { regex: '^[a-z0-9-]{1,63}$', message: 'Use lowercase letters, digits and dashes' } },
  { key: 'api_token', label: 'API token', kind: 'Secret', required: true, help: 'Created in the vendor console' },
  { key: 'webhook_secret', label: 'Webhook secret', kind: 'Secret', required: false, help: 'Signs incoming webhooks' },
  { key: 'region', label: 'Region', kind: 'Select', required: true, help: 'Where the account lives', options: [{ value: 'us', label: 'United States' }, { value: 'eu', label: 'Europe' }] },
  { key: 'base_url', label: 'Base URL', kind: 'Url', required: false, help: 'Only for self-hosted servers', placeholder: 'https://vendor.example' },
  { key: 'verify_tls', label: 'Verify TLS', kind: 'Bool', required: false, help: 'Turn off only for tests' },
  { key: 'notes', label: 'Notes', kind: 'Text', required: false, help: 'Free text', maxLength: 200 },
];

export function createTestVendor(overrides: Partial<TestVendor> = {}): TestVendor {
  return { acceptedTokens: 'any', outcome: 'ok', message: 'Partial access', checks: [], configs: [], ...overrides };
}

export function createControllablePlugin(options: {
  key?: string;
  name?: string;
  provider?: string;
  category?: Category;
  description?: string;
  fields?: FieldSpec[];
  vendor?: TestVendor;
} = {}): { plugin: IntegrationPlugin; vendor: TestVendor } {
  const vendor = options.vendor ?? createTestVendor();
  const key = options.key ?? 'testvendor';
  const plugin: IntegrationPlugin = {
    meta: {
      key,
      name: options.name ?? 'Test Vendor',
      provider: options.provider ?? 'Test Vendor Inc.',
      category: options.category ?? 'Psa',
      description: options.description ?? 'A vendor that tests control',
      docsUrl: 'https://docs.example.test/integration',
      fields: options.fields ?? testPluginFields,
    },
    validate(settings) {
      // A cross-field rule the field specs cannot express.
      if (settings.webhook_secret && !settings.base_url) return { base_url: ['Set a base URL to receive webhooks'] };
      return null;
    },
    async configure(ctx) {
      // Normalises like a real plugin might: no trailing slash on URLs.
      const url = ctx.settings.base_url;
      return typeof url === 'string' ? { ...ctx.settings, base_url: url.replace(/\/+$/, '') } : ctx.settings;
    },
    async healthCheck(ctx): Promise<HealthResult> {
      vendor.checks.push({ ...ctx.settings });
      vendor.configs.push(ctx.config);
      const token = String(ctx.settings.api_token ?? '');
      if (vendor.outcome === 'hang') return new Promise<HealthResult>(() => undefined);
      if (vendor.outcome === 'throw') throw new Error(`vendor exploded while using token ${token}`);
      if (vendor.acceptedTokens !== 'any' && !vendor.acceptedTokens.has(token)) {
        return Health.error(`The vendor refused the API token ending ${token.slice(-4)} (${token})`);
      }
      if (vendor.outcome === 'degraded') return Health.degraded(vendor.message);
      if (vendor.outcome === 'error') return Health.error(vendor.message);
      return Health.ok();
    },
  };
  return { plugin, vendor };
}
