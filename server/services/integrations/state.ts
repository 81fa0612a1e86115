import { notConfiguredState, type Health, type IntegrationState, type IntegrationStatus } from '../../../shared/integrations/catalog.js';
import type { ConfigStateRow } from '../../db/integrationConfigs.js';

/**
 * SPEC-005 status of a checked configuration: Ok and Degraded both count as Active (Degraded
 * keeps its warning in the error message), Error is Error.
 */
export function statusForHealth(health: Exclude<Health, 'unknown'>): IntegrationStatus {
  return health === 'error' ? 'Error' : 'Active';
}

export function stateFromRow(row: ConfigStateRow | undefined): IntegrationState {
  if (!row) return notConfiguredState;
  return {
    status: row.status,
    health: row.health,
    lastHealthCheck: row.lastHealthCheck?.toISOString() ?? null,
    lastOkAt: row.lastOkAt?.toISOString() ?? null,
    consecutiveFailures: row.consecutiveFailures,
    errorMessage: row.errorMessage,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}
