import type { z } from 'zod';
import type { CatalogEntry } from '../../shared/integrations/catalog.js';
import type { IntegrationPlugin, PluginCapability } from './types.js';

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
}
