import { z } from 'zod';
import { integrationKeySchema } from './catalog.js';

/**
 * OAuth2 connections (issue 16). The desktop signs a partner admin in at the vendor with the
 * system browser and a loopback redirect (RFC 8252) and PKCE (RFC 7636); the server builds the
 * authorize URL, keeps the client secret and exchanges the code. Tokens never reach the desktop.
 */

export const grantKinds = ['oauth2ClientCredentials', 'oauth2AuthorizationCode'] as const;
export const grantKindSchema = z.enum(grantKinds);
export type GrantKindName = z.infer<typeof grantKindSchema>;

/** not_connected: no sign-in yet (authorization code) or no token asked yet (client credentials). */
export const connectionStates = ['not_connected', 'connected', 'reconnect_needed', 'disconnected'] as const;
export const connectionStateSchema = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

/**
 * RFC 8252 §7.3: the redirect is the desktop's one-shot listener on the IPv4 loopback address with
 * an ephemeral port, path `/callback`. Nothing else is accepted (no host names, no other paths).
 */
export const loopbackRedirectSchema = z
  .string()
  .max(100)
  .regex(/^http:\/\/127\.0\.0\.1:(\d{4,5})\/callback$/, 'The redirect must be this computer\'s loopback listener: http://127.0.0.1:<port>/callback')
  .refine((uri) => {
    const port = Number(/:(\d+)\//.exec(uri)?.[1]);
    return port >= 1024 && port <= 65535;
  }, 'The loopback port must be between 1024 and 65535');

/** RFC 7636 §4.1–4.2: the verifier is 43–128 unreserved characters; the S256 challenge is 43 base64url. */
export const codeVerifierSchema = z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'The PKCE code verifier must be 43–128 unreserved characters');
export const codeChallengeSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'The PKCE code challenge must be a base64url SHA-256 (43 characters)');
/** The state the server made: 32 random bytes, base64url. */
export const oauthStateSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This sign-in is not one this server started');

export const oauthStartInputSchema = z.object({
  key: integrationKeySchema,
  redirectUri: loopbackRedirectSchema,
  codeChallenge: codeChallengeSchema,
});
export type OAuthStartInput = z.infer<typeof oauthStartInputSchema>;

export const oauthStartOutputSchema = z.object({
  /** Open in the system browser. */
  authorizeUrl: z.url({ protocol: /^https?$/ }),
  state: oauthStateSchema,
  scopesRequested: z.array(z.string()),
  expiresAt: z.iso.datetime(),
});
export type OAuthStartOutput = z.infer<typeof oauthStartOutputSchema>;

export const oauthCompleteInputSchema = z.object({
  key: integrationKeySchema,
  state: oauthStateSchema,
  code: z.string().min(1, 'The vendor sent no code').max(4096),
  codeVerifier: codeVerifierSchema,
});
export type OAuthCompleteInput = z.infer<typeof oauthCompleteInputSchema>;

/** What the desktop shows of a connection: never a token. */
export const connectionViewSchema = z.object({
  grant: grantKindSchema,
  state: connectionStateSchema,
  /** What these settings ask the vendor for (shown before connecting). */
  scopesRequested: z.array(z.string()),
  /** What the vendor granted at the last token (shown after). */
  scopesGranted: z.array(z.string()),
  connectedAt: z.iso.datetime().nullable(),
  /** The current access token's expiry, when there is one. */
  expiresAt: z.iso.datetime().nullable(),
  /** Refused renewals in a row. */
  refusals: z.number().int().min(0),
  /** What the vendor said last time it refused, secrets removed. */
  lastError: z.string().nullable(),
  /** Why the settings cannot make a grant (e.g. a field missing), or null. */
  problem: z.string().nullable(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const oauthKeyInputSchema = z.object({ key: integrationKeySchema });

/**
 * Admin consent in one organization (issue 26: a Microsoft 365 customer tenant): the desktop opens
 * the vendor's consent page for a mapped organization, the vendor returns to the loopback
 * redirect with the state (and, from Microsoft, `tenant` and `admin_consent`, or `error`); the
 * server takes the state once and re-checks by asking that organization for a token.
 */
export const organizationKeySchema = z.string().trim().min(1, 'Choose the organization').max(200, 'At most 200 characters');

export const consentStartInputSchema = oauthStartInputSchema.extend({ organizationKey: organizationKeySchema });
export type ConsentStartInput = z.infer<typeof consentStartInputSchema>;

export const consentStartOutputSchema = z.object({
  /** Open in the system browser. */
  consentUrl: z.url({ protocol: /^https?$/ }),
  state: oauthStateSchema,
  expiresAt: z.iso.datetime(),
});
export type ConsentStartOutput = z.infer<typeof consentStartOutputSchema>;

export const consentCompleteInputSchema = z.object({
  key: integrationKeySchema,
  state: oauthStateSchema,
  codeVerifier: codeVerifierSchema,
  /** What the vendor put on the redirect (Microsoft: `tenant`, `admin_consent`, `error`, `error_description`). */
  tenant: z.string().max(200).optional(),
  adminConsent: z.string().max(20).optional(),
  error: z.string().max(200).optional(),
  errorDescription: z.string().max(1000).optional(),
});
export type ConsentCompleteInput = z.infer<typeof consentCompleteInputSchema>;

export const consentResultSchema = z.object({
  organizationKey: z.string(),
  /** Whether that organization now gives the app a token. */
  consented: z.boolean(),
  /** Why not, in plain words; null when consented. */
  reason: z.string().nullable(),
});
export type ConsentResult = z.infer<typeof consentResultSchema>;
