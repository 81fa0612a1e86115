import { loadConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { PluginContext, PluginSettings } from '../types.js';

/**
 * A real PluginContext as the catalog builds one: configuration parsed by `loadConfig` from the
 * given environment (e.g. SYNCRO_BASE_URL pointing at a fake), a real logger, an abort signal.
 */
export function pluginContext(options: {
  settings: PluginSettings;
  log: Logger;
  env?: Record<string, string>;
  partnerId?: number;
  signal?: AbortSignal;
}): PluginContext {
  return {
    partnerId: options.partnerId ?? 2,
    settings: options.settings,
    config: loadConfig({ ...options.env }),
    signal: options.signal ?? new AbortController().signal,
    log: options.log,
  };
}
