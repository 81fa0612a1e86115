import { AppError } from '../../../shared/errors.js';
import { findConfig, type ConfigRow } from '../../db/integrationConfigs.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { Db } from '../../db/pool.js';
import type { RegisteredIntegration, Registry } from '../../integrations/registry.js';
import { buildIntegrationDetail } from './detail.js';

/** The registry entry for a key, or 404: unknown keys name nothing, whoever asks. */
export function requireIntegration(registry: Registry, key: string): RegisteredIntegration {
  const integration = registry.get(key);
  if (!integration) throw new AppError('NOT_FOUND', 'There is no integration with this key');
  return integration;
}

export const notConfiguredError = () => new AppError('NOT_FOUND', 'This integration is not configured');

/** A 409 carrying the current server state, so the client can show it beside its draft. */
export function conflictError(integration: RegisteredIntegration, current: ConfigRow | undefined, message: string) {
  return new AppError('CONFLICT', message, { details: buildIntegrationDetail(integration, current) });
}

/** Reads one configuration in a short transaction of its own (nothing is held afterwards). */
export function readConfig(db: Db, partnerId: number, key: string): Promise<ConfigRow | undefined> {
  return readAsPartner(db, partnerId, (q) => findConfig(q, partnerId, key));
}
