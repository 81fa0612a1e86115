import type { IntegrationDetail, IntegrationSummary } from '../../../shared/integrations/catalog.js';
import type { ConfigRow, ConfigStateRow } from '../../db/integrationConfigs.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import { settingsView } from './settings.js';
import { stateFromRow } from './state.js';

/** One catalog card: the registry entry (without field specs) and this partner's state. */
export function buildIntegrationSummary(integration: RegisteredIntegration, row: ConfigStateRow | undefined): IntegrationSummary {
  return { ...summaryEntryOf(integration), state: stateFromRow(row) };
}

/**
 * The entry without its field specs, made once per registered integration: the catalog list
 * builds a card per entry on every request, and a rest pattern that leaves a key out is V8's slow
 * copy (issue 19 §3).
 */
const summaryEntries = new WeakMap<RegisteredIntegration, Omit<IntegrationSummary, 'state'>>();
function summaryEntryOf(integration: RegisteredIntegration): Omit<IntegrationSummary, 'state'> {
  let entry = summaryEntries.get(integration);
  if (!entry) {
    const { fields: _fields, ...rest } = integration.entry;
    entry = rest;
    summaryEntries.set(integration, entry);
  }
  return entry;
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
