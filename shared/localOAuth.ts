import { z } from 'zod';
import { integrationKeySchema } from './integrations/catalog.js';
import { connectionViewSchema } from './integrations/oauth.js';

/**
 * The desktop's local API for OAuth2 connections (issue 16): the server's connection view, and
 * the sign-in the desktop core runs (loopback listener, PKCE, system browser). The server's own
 * shapes come from shared/integrations/oauth.ts; tokens never reach the desktop.
 */

/**
 * waiting: the authorize URL is open (or to be opened) and the loopback listener waits for the
 * browser; finishing: the browser came back and the server is exchanging the code.
 */
export const signInPhases = ['waiting', 'finishing', 'connected', 'failed', 'cancelled'] as const;
export const signInPhaseSchema = z.enum(signInPhases);
export type SignInPhase = z.infer<typeof signInPhaseSchema>;

/** One sign-in of one integration, as the renderer follows it. */
export const signInViewSchema = z.object({
  key: integrationKeySchema,
  phase: signInPhaseSchema,
  /** The vendor's page to open; only while waiting (the shell opens exactly this URL). */
  authorizeUrl: z.string().nullable(),
  scopesRequested: z.array(z.string()),
  /** When the server forgets this sign-in (10 minutes after Connect). */
  expiresAt: z.iso.datetime(),
  /** Why it failed, in words a person can act on; null otherwise. */
  message: z.string().nullable(),
});
export type SignInView = z.infer<typeof signInViewSchema>;

/** The connection as last read: from the server, or the cached answer when it cannot be reached. */
export const connectionLocalViewSchema = z.object({
  connection: connectionViewSchema,
  fetchedAt: z.iso.datetime(),
  source: z.enum(['server', 'cache']),
});
export type ConnectionLocalView = z.infer<typeof connectionLocalViewSchema>;

export const oauthLocalKeyInputSchema = z.object({ key: integrationKeySchema });
