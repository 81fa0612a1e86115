import type { z } from 'zod';
import { loginInputSchema, loginOutputSchema, sessionUserSchema } from '../../shared/auth.js';
import type { createCaller } from '../routers/index.js';
import { healthRestRoutes } from './healthRoutes.js';
import { integrationRestRoutes } from './integrationRoutes.js';
import { mspbackupsRestRoutes } from './mspbackupsRoutes.js';

export type Caller = ReturnType<typeof createCaller>;

export interface RestRequestParts {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * One REST route = one tRPC procedure. The REST bridge and the OpenAPI document are both built
 * from this table, and the schemas are the procedures' own, so the two APIs cannot drift.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify path syntax (`/api/integrations/:key`). */
  path: string;
  summary: string;
  tag: string;
  /** Whether a bearer token is required. */
  auth: boolean;
  input?: z.ZodType;
  output: z.ZodType;
  successStatus?: number;
  call(caller: Caller, input: unknown): Promise<unknown>;
}

/** Builds the procedure input: the query (GET) or JSON body, with path parameters on top. */
export function restInput(route: RestRoute, parts: RestRequestParts): unknown {
  const base = route.method === 'GET' || route.method === 'DELETE' ? parts.query : parts.body;
  if (Object.keys(parts.params).length === 0) return base;
  // Path parameters win, so a body can never name a different resource than the URL.
  const object = base && typeof base === 'object' && !Array.isArray(base) ? base : {};
  return { ...object, ...parts.params };
}

// Inputs are validated again by the procedure; the casts only hand the unknown value over.
export const restRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Exchange email and password for a bearer token',
    tag: 'auth',
    auth: false,
    input: loginInputSchema,
    output: loginOutputSchema,
    call: (caller, input) => caller.auth.login(input as z.input<typeof loginInputSchema>),
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    summary: 'The signed-in user',
    tag: 'auth',
    auth: true,
    output: sessionUserSchema,
    call: (caller) => caller.auth.me(),
  },
  ...integrationRestRoutes,
  ...mspbackupsRestRoutes,
  ...healthRestRoutes,
];
