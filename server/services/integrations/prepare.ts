import { AppError } from '../../../shared/errors.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import type { StoredSettings } from '../../db/integrationConfigs.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import type { PluginSettings } from '../../integrations/types.js';
import { conflictError, notConfiguredError, readConfig, requireIntegration } from './lookup.js';
import { pluginConfig } from './pluginConfig.js';
import { encryptSecret, resolveSettings, type ResolvedSettings } from './settings.js';

/**
 * A configure or reconfigure, validated and ready to commit: everything that may be slow (the
 * plugin's configure hook, which may call the vendor) or CPU-bound (encryption) is done, so
 * the commit's transaction stays short. Nothing here is secret in clear: new secrets are
 * already encrypted.
 */
export interface PreparedSettings {
  partnerId: number;
  key: string;
  /** The row version the settings were merged from; undefined for a new configuration. */
  fromVersion: number | undefined;
  /** Values to store: plain fields, and newly given secrets encrypted. */
  values: StoredSettings;
  /** Secret fields given a new value (audited as changed). */
  replacedSecrets: string[];
  /** Secret fields whose stored ciphertext is copied from the row locked at commit. */
  keptSecrets: string[];
}

const onlyFields = (integration: RegisteredIntegration, settings: PluginSettings): PluginSettings => {
  const out: PluginSettings = {};
  for (const field of integration.entry.fields) {
    const value = settings[field.key];
    if (typeof value === 'string' || typeof value === 'boolean') out[field.key] = value;
  }
  return out;
};

/** The plugin's optional configure hook, bounded in time; its own 4xx errors pass through. */
async function runConfigureHook(deps: AppDeps, integration: RegisteredIntegration, partnerId: number, plain: PluginSettings): Promise<PluginSettings> {
  const hook = integration.plugin.configure;
  if (!hook) return plain;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.pluginTimeoutMs);
  try {
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(new AppError('UNAVAILABLE', 'The integration did not answer in time; try again')), { once: true }),
    );
    const ctx = { partnerId, settings: { ...plain }, config: pluginConfig(deps.config), signal: controller.signal, log: deps.log };
    const result = await Promise.race([hook.call(integration.plugin, ctx), aborted]);
    return onlyFields(integration, result ?? plain);
  } catch (error) {
    if (error instanceof AppError && error.code !== 'INTERNAL') throw error;
    deps.log.warn({ integration: integration.entry.key, partnerId, errorType: error instanceof Error ? error.name : typeof error }, 'configure hook failed');
    throw new AppError('UNAVAILABLE', 'Setting up the integration failed; try again');
  } finally {
    clearTimeout(timer);
  }
}

async function prepare(deps: AppDeps, integration: RegisteredIntegration, partnerId: number, resolved: ResolvedSettings, fromVersion: number | undefined): Promise<PreparedSettings> {
  const final = await runConfigureHook(deps, integration, partnerId, resolved.plain);
  const values: StoredSettings = {};
  const replacedSecrets: string[] = [];
  const keptSecrets: string[] = [];
  for (const field of integration.entry.fields) {
    const value = final[field.key];
    if (value === undefined) continue;
    if (field.kind !== 'Secret') {
      values[field.key] = value;
    } else if (resolved.keptSecrets.includes(field.key) && value === resolved.plain[field.key]) {
      keptSecrets.push(field.key);
    } else {
      values[field.key] = encryptSecret(deps.secrets, integration, partnerId, field.key, String(value));
      replacedSecrets.push(field.key);
    }
  }
  return { partnerId, key: integration.entry.key, fromVersion, values, replacedSecrets, keptSecrets };
}

/** Validates a new configuration (409 if one exists, 400 per field) and prepares it. */
export async function prepareConfigure(deps: AppDeps, partnerId: number, key: string, settings: SettingsInput): Promise<PreparedSettings> {
  const integration = requireIntegration(deps.registry, key);
  const existing = await readConfig(deps.db, partnerId, key);
  if (existing) throw conflictError(integration, existing, 'This integration is already configured; edit it instead');
  const resolved = resolveSettings(deps.secrets, integration, partnerId, settings, undefined);
  return prepare(deps, integration, partnerId, resolved, undefined);
}

/**
 * Validates an edit against the stored settings (mask or blank keeps a secret) and prepares it.
 * A `baseVersion` older than the stored one is a 409 before anything else happens.
 */
export async function prepareReconfigure(
  deps: AppDeps,
  partnerId: number,
  key: string,
  settings: SettingsInput,
  baseVersion?: number,
): Promise<PreparedSettings> {
  const integration = requireIntegration(deps.registry, key);
  const existing = await readConfig(deps.db, partnerId, key);
  if (!existing) throw notConfiguredError();
  if (baseVersion !== undefined && existing.version !== baseVersion) {
    throw conflictError(integration, existing, 'This integration was changed since you started editing');
  }
  const resolved = resolveSettings(deps.secrets, integration, partnerId, settings, existing.settings);
  return prepare(deps, integration, partnerId, resolved, existing.version);
}
