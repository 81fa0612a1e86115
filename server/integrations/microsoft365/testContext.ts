import { afterAll, beforeEach } from 'vitest';
import type { Logger } from '../../logger.js';
import { actionContext, type MappedOrganization } from '../test/actionContext.js';
import { pluginContext } from '../test/pluginContext.js';
import type { PluginContext, PluginSettings } from '../types.js';
import { startFakeMicrosoft365, type FakeMicrosoft365 } from './fakeServer.js';
import { createMicrosoft365Plugin, type M365Plugin, type M365PluginOptions } from './index.js';

/** The environment that points the plugin at the fake (only honoured with VENDOR_EMULATORS). */
export const fakeEnv = (fake: FakeMicrosoft365) => ({ VENDOR_EMULATORS: 'true', MICROSOFT365_EMULATOR_URL: fake.origin });

/** A plugin context with in-memory per-tenant token sources and the given tenants mapped (client 1). */
export function m365Context(plugin: M365Plugin, fake: FakeMicrosoft365, settings: PluginSettings, log: Logger, mapped: string[] = []): PluginContext {
  const ctx = pluginContext({ settings, log, env: fakeEnv(fake), auth: plugin.auth });
  ctx.allMappedOrganizations = async () => mapped.map((id) => ({ id, name: id, clientId: 1, missingAtVendor: false }));
  return ctx;
}

/** An action context whose clients map to the given tenants. */
export function m365ActionContext(plugin: M365Plugin, fake: FakeMicrosoft365, settings: PluginSettings, log: Logger, mappings: Record<number, MappedOrganization[]>) {
  const ctx = actionContext({ settings, log, env: fakeEnv(fake), auth: plugin.auth, mappings });
  ctx.allMappedOrganizations = async () => Object.entries(mappings).flatMap(([clientId, orgs]) => orgs.map((o) => ({ id: o.id, name: o.name, clientId: Number(clientId), missingAtVendor: false })));
  return ctx;
}

/** The plugin's HTTP in tests: no client-side throttle in the way, retries in milliseconds. */
export const testHttp = { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } };

/**
 * One test file's fake and plugin (top-level `await` in the file): the fake empty, counts and
 * faults cleared before each test, both closed after the file.
 */
export async function m365TestSetup(options: Omit<M365PluginOptions, 'http'> = {}): Promise<{ fake: FakeMicrosoft365; plugin: M365Plugin }> {
  const fake = await startFakeMicrosoft365();
  const plugin = createMicrosoft365Plugin({ ...options, http: testHttp });
  afterAll(async () => {
    await plugin.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.resetCounts();
    fake.resetFaults();
  });
  return { fake, plugin };
}
