import type { z } from 'zod';
import type { CatalogEntry } from '../../shared/integrations/catalog.js';
import type { ActionDefinition } from './actions.js';
import type { IntegrationPlugin, PluginCapability } from './types.js';

/** A plugin's action with its JSON Schemas, computed once at start-up (the listing sends them). */
export interface RegisteredAction {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types; the service checks with the schemas
  definition: ActionDefinition<any, any>;
  inputJsonSchema: Record<string, unknown>;
  outputJsonSchema: Record<string, unknown>;
}

/**
 * A plugin with what the server derives from it once, at start-up. Declared apart from the
 * registry so that modules the registry itself imports (the config mirror contract) can name it
 * without an import circle.
 */
export interface RegisteredIntegration {
  plugin: IntegrationPlugin;
  entry: CatalogEntry;
  /** Settings schemas built from the field specs: every required field, or an edit of saved settings. */
  schemas: { create: z.ZodType; update: z.ZodType };
  /** Keys of Secret fields: encrypted at rest, masked when read, never logged or audited. */
  secretFields: ReadonlySet<string>;
  /** Lower-cased name, provider and description, for the catalog's text search. */
  searchText: string;
  /** The optional capabilities the plugin declares (wave 2), read once from its members. */
  capabilities: ReadonlySet<PluginCapability>;
  /** The plugin's actions (issue 15), checked and indexed by id at start-up; empty without any. */
  actions: ReadonlyMap<string, RegisteredAction>;
}
