import type { IntegrationDetail, IntegrationSummary } from '../../../shared/integrations/catalog.js';
import type { ConfigRow, ConfigStateRow } from '../../db/integrationConfigs.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import { settingsView } from './settings.js';
import { stateFromRow } from './state.js';

/** One catalog card: the registry entry (without field specs) and this partner's state. */
export function buildIntegrationSummary(integration: RegisteredIntegration, row: ConfigStateRow | undefined): IntegrationSummary {
  const { fields: _fields, ...entry } = integration.entry;
  return { ...entry, state: stateFromRow(row) };
}

/**
 * The detail view of an entry for one partner: field specs, settings masked (each secret as
 * `{isSet, last4}`, never its value) and the state. `row` undefined means Not Configured.
 * Used by the API and by sync, so both show the same thing.
 */
export function buildIntegrationDetail(integration: RegisteredIntegration, row: ConfigRow | undefined): IntegrationDetail {
  return {
    ...integration.entry,
    state: stateFromRow(row),
    settings: row ? settingsView(integration, row.settings) : null,
  };
}
