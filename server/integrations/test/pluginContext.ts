import { loadConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { memoryTokenSources } from '../oauth2/memoryTokenSource.js';
import type { OAuth2Auth, TokenSource } from '../oauth2/types.js';
import type { PluginContext, PluginSettings } from '../types.js';

/**
 * A real PluginContext as the catalog builds one: configuration parsed by `loadConfig` from the
 * given environment (e.g. SYNCRO_BASE_URL pointing at a fake), a real logger, an abort signal.
 * With `auth` (an OAuth2 plugin's declaration), `oauth` is a client-credentials token source kept
 * in memory (the framework's stored, locked one is tested in server/services/oauth/), or the
 * `oauth` given.
 */
export function pluginContext(options: {
  settings: PluginSettings;
  log: Logger;
  env?: Record<string, string>;
  partnerId?: number;
  signal?: AbortSignal;
  auth?: OAuth2Auth;
  oauth?: TokenSource;
}): PluginContext {
  const config = loadConfig({ ...options.env });
  const signal = options.signal ?? new AbortController().signal;
  const ctx: PluginContext = { partnerId: options.partnerId ?? 2, settings: options.settings, config, signal, log: options.log };
  if (options.oauth) ctx.oauth = options.oauth;
  else if (options.auth) {
    const auth = options.auth;
    const grant = auth.grant(options.settings, config);
    if (!('problem' in grant)) ctx.oauth = memoryTokenSources(auth, (organization) => auth.grant(options.settings, config, organization), { signal, log: options.log });
  }
  return ctx;
}
