import type { FieldErrors } from '../../shared/errors.js';
import type { CatalogEntry } from '../../shared/integrations/catalog.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** Decrypted settings as a plugin sees them (strings and booleans; secrets in clear, in memory only). */
export type PluginSettings = Record<string, string | boolean | undefined>;

/** SPEC-005 health: Ok, Degraded(message) — works, with a warning — or Error(message). */
export type HealthResult =
  | { status: 'ok'; message?: string }
  | { status: 'degraded'; message: string }
  | { status: 'error'; message: string };

export const Health = {
  ok: (message?: string): HealthResult => (message ? { status: 'ok', message } : { status: 'ok' }),
  degraded: (message: string): HealthResult => ({ status: 'degraded', message }),
  error: (message: string): HealthResult => ({ status: 'error', message }),
};

/** What a plugin may use while it runs. It never sees the database or another partner. */
export interface PluginContext {
  partnerId: number;
  settings: PluginSettings;
  config: Config;
  /** Aborted when the check's time budget runs out or the server stops. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * An integration: metadata from the code registry, validation beyond the field specs, an
 * optional configure hook and a read-only health check of what the integration actually uses.
 */
export interface IntegrationPlugin {
  meta: Omit<CatalogEntry, 'links'> & { links?: CatalogEntry['links'] };
  /** Cross-field rules the field specs cannot express; per-field messages or null when valid. */
  validate(settings: PluginSettings): FieldErrors | null;
  /** Runs after validation, before the settings are stored (e.g. normalising a value). */
  configure?(ctx: PluginContext): Promise<PluginSettings | void>;
  healthCheck(ctx: PluginContext): Promise<HealthResult>;
}
