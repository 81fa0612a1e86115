import type { FieldErrors } from '../../shared/errors.js';
import type { CatalogEntry } from '../../shared/integrations/catalog.js';
import type { Organization } from '../../shared/integrations/discovery.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ActionDefinition } from './actions.js';
import type { OAuth2Auth, TokenSource } from './oauth2/types.js';

/** Decrypted settings as a plugin sees them (strings and booleans; secrets in clear, in memory only). */
export type PluginSettings = Record<string, string | boolean | undefined>;

/** SPEC-005 health: Ok, Degraded(message) — works, with a warning — or Error(message). */
export type HealthResult =
  | { status: 'ok'; message?: string }
  | { status: 'degraded'; message: string }
  | { status: 'error'; message: string };

export const Health = {
  ok: (message?: string): HealthResult => (message ? { status: 'ok', message } : { status: 'ok' }),
  degraded: (message: string): HealthResult => ({ status: 'degraded', message }),
  error: (message: string): HealthResult => ({ status: 'error', message }),
};

/** What a plugin may use while it runs. It never sees the database or another partner. */
export interface PluginContext {
  partnerId: number;
  settings: PluginSettings;
  config: Config;
  /** Aborted when the check's time budget runs out or the server stops. */
  signal: AbortSignal;
  log: Logger;
  /**
   * Present when the plugin declares OAuth2 (`auth`): the connection's access token, requested
   * and refreshed by the framework. Never holds a refresh token or the client secret.
   */
  oauth?: TokenSource;
  /**
   * Issue 26: every organization of this integration mapped to one of the partner's clients (read
   * through the one mapping lookup), for a health check that probes each mapped organization
   * (Microsoft 365: one token and one read per customer tenant). Absent where no mapping applies.
   */
  allMappedOrganizations?(): Promise<(Organization & { clientId: number; missingAtVendor: boolean })[]>;
}

/**
 * An integration: metadata from the code registry, validation beyond the field specs, an
 * optional configure hook and a read-only health check of what the integration actually uses.
 */
export interface IntegrationPlugin {
  meta: Omit<CatalogEntry, 'links' | 'capabilities' | 'requirements' | 'logo'> & {
    links?: CatalogEntry['links'];
    /** The vendor permissions, scopes or credentials the partner needs, in human words (shown before configuring). */
    requirements?: string[];
  };
  /**
   * The plugin's logo: the text of a small SVG shipped in its folder (`logo.svg`). The registry
   * sanitises it at start-up and refuses the plugin when it holds script, event handlers or
   * external references; without one the UI shows initials.
   */
  logoSvg?: string;
  /** Cross-field rules the field specs cannot express; per-field messages or null when valid. */
  validate(settings: PluginSettings): FieldErrors | null;
  /** Runs after validation, before the settings are stored (e.g. normalising a value). */
  configure?(ctx: PluginContext): Promise<PluginSettings | void>;
  healthCheck(ctx: PluginContext): Promise<HealthResult>;
  /**
   * Wave 2, optional: one page of the vendor's organizations (customers, companies, tenants) for
   * mapping to the partner's clients. `cursor` is null for the first page, then the previous
   * page's `nextCursor`. Throws `OrganizationsError` (a message for the partner) or `VendorError`.
   */
  listOrganizations?: ListOrganizations;
  /**
   * Wave 2, optional: OAuth2 (client credentials or authorization code). Without it the plugin
   * authenticates with what its settings hold (an API key, Basic credentials).
   */
  auth?: OAuth2Auth;
  /**
   * Issue 18 §2, optional: how many days the vendor lets a credential live (a published key
   * lifetime). Without it the partner-wide default applies (90 days unless the partner changed it).
   */
  credentialMaxAgeDays?: number;
  /**
   * Issue 26, optional: the date the vendor will refuse a stored secret, when the partner typed it
   * in a non-secret field (Entra shows a client secret's "Expires"), by Secret field key. Read from
   * the stored settings without decrypting anything; the earlier of it and the age limit is due.
   */
  credentialExpiry?(settings: PluginSettings): Partial<Record<string, Date>>;
  /** Wave 2, optional: the plugin's typed vendor operations (see ./actions.ts), declared in its folder. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types; the service checks with the schemas
  actions?: readonly ActionDefinition<any, any>[];
  /**
   * Issue 18 §5, optional: handles one verified inbound webhook delivery for this integration
   * (automations subscribe here later, issue 23). Runs on the job engine; throwing makes the
   * delivery retried with backoff, and dead after the last retry. Without it a delivery is
   * processed by being recorded.
   */
  inbound?: (event: InboundEvent, ctx: PluginContext) => Promise<void>;
}

/** One verified inbound delivery as a plugin's `inbound` hook receives it. */
export interface InboundEvent {
  /** The sender's X-IC-Delivery-Id. */
  deliveryId: string;
  /** The body parsed as JSON; the raw text when it is not JSON. */
  payload: unknown;
  receivedAt: Date;
  /** 1 for the first attempt. */
  attempt: number;
}

/** One page of organizations, and where the walk stands when the vendor says. */
export interface OrganizationPage {
  items: Organization[];
  /** Pass back for the next page; null after the last. Opaque to the caller. */
  nextCursor: string | null;
  /** Pages read once this one is counted, and the total, when the vendor's paging tells. */
  pagesDone?: number;
  totalPages?: number;
}

export type ListOrganizations = (ctx: PluginContext, cursor: string | null) => Promise<OrganizationPage>;

/** The capabilities a plugin may offer beyond the health check, as the registry records them. */
export type PluginCapability = 'listOrganizations' | 'actions' | 'oauth';

/**
 * Why organizations could not be listed, worded for the partner (the vendor's own message
 * included where it sent one, secrets already kept out). Plugins throw it where a failure means
 * something particular to them (a missing permission); anything else stays a VendorError.
 */
export class OrganizationsError extends Error {
  override name = 'OrganizationsError';
}
