import { AppError } from '../../../shared/errors.js';
import type { Organization } from '../../../shared/integrations/discovery.js';
import type { Logger } from '../../logger.js';
import type { ActionContext } from '../actions.js';
import type { OAuth2Auth, TokenSource } from '../oauth2/types.js';
import type { PluginSettings } from '../types.js';
import { pluginContext } from './pluginContext.js';

export type MappedOrganization = Organization & { clientName: string };

/**
 * An ActionContext for running a plugin's actions against a fake vendor without the action
 * service: a real PluginContext (configuration from `env`), and the two things the service
 * provides answered from what the test says — the client's mapped organizations (with the
 * contract's errors: NOT_FOUND for a client not listed, CONFLICT for one without mappings) and
 * the file publisher (CONFLICT without one, as without PUBLIC_BASE_URL).
 */
export function actionContext(options: {
  settings: PluginSettings;
  log: Logger;
  env?: Record<string, string>;
  partnerId?: number;
  userId?: number;
  mappings?: Record<number, MappedOrganization[]>;
  publishFile?: ActionContext['publishFile'];
  signal?: AbortSignal;
  auth?: OAuth2Auth;
  oauth?: TokenSource;
}): ActionContext {
  const { settings, log, env, partnerId, signal, auth, oauth } = options;
  const base = pluginContext({ settings, log, env, partnerId, signal, auth, oauth });
  return {
    ...base,
    userId: options.userId ?? 1,
    async mappedOrganizations(clientId) {
      const mapped = options.mappings?.[clientId];
      if (!mapped) throw new AppError('NOT_FOUND', `Client ${clientId} was not found`);
      if (mapped.length === 0) throw new AppError('CONFLICT', 'This client has no organization mapped at this integration (missing mapping)');
      return mapped;
    },
    publishFile:
      options.publishFile ??
      (() => {
        throw new AppError('CONFLICT', 'No public base URL is configured (PUBLIC_BASE_URL)');
      }),
  };
}
