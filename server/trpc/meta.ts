import { z } from 'zod';

/**
 * The tags of the REST API. A procedure's route names one of these, so a typo is a type error,
 * not an undeclared tag in the OpenAPI document.
 */
export const restTagSchema = z.enum(['auth', 'integrations', 'dev', 'health', 'mspbackups', 'clients', 'automations']);

export type RestTag = z.infer<typeof restTagSchema>;

/** What each tag groups, declared in the OpenAPI document. */
export const restTagDescriptions: Record<RestTag, string> = {
  auth: 'Sign in and the signed-in user',
  integrations: "The catalog and this partner's configurations, status and audit",
  dev: "The platform operator's read-only views of every partner",
  health: 'Health history, alerts and the alert webhook',
  mspbackups: 'The legacy MSPBackups API, kept while MSP360 moves into the catalog',
  clients: "This partner's clients and their mappings to each integration's organizations",
  automations: "This partner's automations (a trigger and a chain of actions), their runs and the recipes",
};

/**
 * How a procedure is also served over REST and documented in OpenAPI, declared on the procedure
 * with `.meta({ openapi: … })` (the key Documenso and trpc-to-openapi use). The bridge in
 * server/http/restOperations.ts reads it, so a procedure and its route live in one place. It is
 * parsed at boot: a malformed entry stops the server rather than serving a wrong route.
 */
export const restMetaSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
  /** Fastify path syntax (`/api/integrations/:key`); each `:param` is an input field. */
  path: z.string().regex(/^\/api(\/(:?[A-Za-z0-9_-]+))+$/),
  /** One line: the OpenAPI summary. */
  summary: z.string().min(1),
  tag: restTagSchema,
  /** Callable without a bearer token (only sign-in is). */
  public: z.boolean().optional(),
  /** The status of a success (default 200). */
  successStatus: z.number().int().min(200).max(299).optional(),
});

export type RestMeta = z.infer<typeof restMetaSchema>;

/** What `initTRPC.meta<…>()` allows on a procedure. */
export const procedureMetaSchema = z.object({ openapi: restMetaSchema.optional() });

export type ProcedureMeta = z.infer<typeof procedureMetaSchema>;
