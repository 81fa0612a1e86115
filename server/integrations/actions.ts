import type { z } from 'zod';
import type { ExternalTicket, Unavailable } from '../../shared/actions.js';
import type { Organization } from '../../shared/integrations/discovery.js';
import type { PluginContext } from './types.js';

/**
 * The action capability of a plugin (issue 15; design brief "Wave 2"). A plugin lists its
 * actions in its own folder (`<plugin>/actions.ts`) as `actions: [...]`; the action service
 * (server/services/actions/) lists them with their availability, checks input against `input`,
 * keeps side-effectful runs exactly once per idempotency key, and records every vendor call in
 * the interaction log. A plugin never sees the database, another partner, or the idempotency store.
 */

/** What an action may use while it runs, beyond the plugin context. */
export interface ActionContext extends PluginContext {
  /** The user who asked (for the vendor's own notes, never for authorization: the service checked). */
  userId: number;
  /**
   * The organizations of this integration mapped to a client of this partner, read through the
   * one mapping lookup. Throws an AppError CONFLICT "missing mapping" when there are none and
   * NOT_FOUND when the client is not this partner's.
   */
  mappedOrganizations(clientId: number): Promise<(Organization & { clientName: string })[]>;
  /**
   * Serves a file at a signed, single-use URL that expires in 15 minutes under PUBLIC_BASE_URL
   * (for vendors that fetch a file themselves, e.g. Syncro's attach_file_url). Throws an
   * AppError CONFLICT when no public base URL is configured.
   */
  publishFile(file: { filename: string; contentType: string; body: Buffer }): Promise<{ url: string; expiresAt: Date }>;
}

/** What availability is judged on, besides the integration's own state (the service checks that first). */
export interface AvailabilityContext {
  partnerId: number;
  settings: PluginContext['settings'];
  config: PluginContext['config'];
  /** Whether PUBLIC_BASE_URL is set (see ActionContext.publishFile). */
  hasPublicBaseUrl: boolean;
}

/** A run's answer: the output, and the ticket it touched when a ticket link may be stored. */
export interface ActionOutcome<O> {
  output: O;
  ticket?: ExternalTicket;
}

export interface ActionDefinition<I = unknown, O = unknown> {
  /** `provider.noun.verb`; provider is the plugin's key. */
  id: string;
  label: string;
  description: string;
  /** Changes something at the vendor: partner admins only, with an idempotency key. */
  sideEffectful: boolean;
  /** The input has a `clientId` and the action reads that client's mappings (unavailable without one). */
  clientScoped: boolean;
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  /**
   * Plugin-specific availability beyond configured / in Error / disconnected / mapping, which
   * the service judges itself. Null: available. A check that throws counts as unavailable.
   */
  availability?(ctx: AvailabilityContext): Unavailable | null | Promise<Unavailable | null>;
  /**
   * Calls the vendor. Throws VendorError (recorded as the run's outcome, shown with the vendor's
   * message) or AppError (e.g. VALIDATION_FAILED when the vendor refuses a field, CONFLICT).
   */
  run(ctx: ActionContext, input: I): Promise<ActionOutcome<O>>;
}

/** Declares an action with its types inferred from its schemas. */
export function defineAction<I, O>(action: ActionDefinition<I, O>): ActionDefinition<I, O> {
  return action;
}
