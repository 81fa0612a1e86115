import type { ConfigRow } from '../../db/integrationConfigs.js';
import type { Queryable } from '../../db/pool.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';

/**
 * A second store that keeps a copy of one integration's configurations while a feature moves
 * into `integration_configurations` (MSP360's legacy `mspbackups_config`). Registered for one
 * key in the registry (`createRegistry(plugins, { mirrors })`); the catalog's commits
 * (configure, reconfigure, delete — also when sync applies a pushed mutation) call it inside
 * their transaction, so both stores change together or not at all. Integrations without a
 * mirror are untouched.
 */
export interface ConfigMirror {
  /**
   * Called first in every write transaction of the integration for a partner, before anything
   * is read or locked: the mirror's own writers take the same lock, so writes through either
   * store are serialised per partner and cannot deadlock on each other's rows.
   */
  lock(tx: Queryable, partnerId: number): Promise<void>;
  /** After the configuration was inserted or its settings replaced (and audited). */
  written(tx: Queryable, integration: RegisteredIntegration, row: ConfigRow): Promise<void>;
  /** After the configuration was deleted (and audited). */
  deleted(tx: Queryable, integration: RegisteredIntegration, partnerId: number): Promise<void>;
}
