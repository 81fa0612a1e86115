import { z } from 'zod';
import { defineAction } from '../actions.js';
import { startBudget } from '../http/budget.js';
import { createVendorClient } from '../http/vendorClient.js';
import { tokenHealth } from '../oauth2/health.js';
import { fakeClient, type FakeAuthorizationServer } from '../oauth2/testing/fakeAuthorizationServer.js';
import type { OAuth2Grant } from '../oauth2/types.js';
import { commonHealth } from '../http/healthMapping.js';
import { Health, type IntegrationPlugin, type PluginContext } from '../types.js';

/**
 * An OAuth2 plugin over the generic fake authorization server (../oauth2/testing/), for the
 * framework's tests: `grant` chooses client credentials or authorization code; the health check
 * and the one action read `GET /resource` with the connection's token, retrying once with a new
 * token after a 401. Never in shippedPlugins.
 */
export function createOAuthTestPlugin(server: Pick<FakeAuthorizationServer, 'origin'>, options: { key?: string; scopes?: string[] } = {}): IntegrationPlugin & { close(): Promise<void> } {
  const key = options.key ?? 'oauthtest';
  const http = createVendorClient({ vendor: 'OAuth Test', rateLimit: { perMinute: 600_000, burst: 10_000 }, retry: { maxAttempts: 1 } });
  const scopes = options.scopes ?? ['read'];
  const grant = (settings: Record<string, unknown>): OAuth2Grant | { problem: string } => {
    if (typeof settings.client_id !== 'string' || typeof settings.client_secret !== 'string') return { problem: 'Client id and secret are required' };
    const token = { url: new URL('/token', server.origin), clientId: settings.client_id, clientSecret: settings.client_secret, clientAuth: 'post' as const, scopes };
    return settings.grant === 'code'
      ? { kind: 'oauth2AuthorizationCode', token: { ...token, scopes: [...scopes, 'offline_access'] }, authorizeUrl: new URL('/authorize', server.origin) }
      : { kind: 'oauth2ClientCredentials', token };
  };
  async function readResource(ctx: PluginContext): Promise<void> {
    if (!ctx.oauth) throw new Error('no token source');
    for (let attempt = 1; ; attempt++) {
      const token = await ctx.oauth.accessToken();
      try {
        await http.request({ method: 'GET', url: new URL('/resource', server.origin), operation: 'GET /resource', headers: { authorization: `Bearer ${token.value}` }, budget: startBudget(ctx.signal, 10_000), log: ctx.log, secrets: [token.value] });
        return;
      } catch (error) {
        if (attempt === 1 && (error as { kind?: string }).kind === 'unauthorized') {
          await ctx.oauth.rejected(token);
          continue;
        }
        throw error;
      }
    }
  }
  return {
    meta: {
      key,
      name: 'OAuth Test',
      provider: 'OAuth Test Ltd',
      category: 'Rmm',
      description: 'A resource behind OAuth2 on loopback',
      docsUrl: null,
      fields: [
        { key: 'client_id', label: 'Client ID', kind: 'Text', required: true, help: '' },
        { key: 'client_secret', label: 'Client secret', kind: 'Secret', required: true, help: '' },
        { key: 'grant', label: 'Grant', kind: 'Select', required: true, help: '', options: [{ value: 'cc', label: 'Client credentials' }, { value: 'code', label: 'Authorization code' }] },
      ],
    },
    auth: {
      grants: ['oauth2ClientCredentials', 'oauth2AuthorizationCode'],
      http,
      grant,
      // Issue 26's per-organization admin consent, for the framework's route tests (no page behind it).
      adminConsent: {
        url: (_settings, _config, organization, redirectUri, state) => {
          const url = new URL(`/${encodeURIComponent(organization)}/adminconsent`, server.origin);
          url.search = new URLSearchParams({ redirect_uri: redirectUri, state }).toString();
          return url;
        },
        explain: (error) => (error instanceof Error ? error.message : 'refused'),
      },
    },
    validate: () => null,
    async healthCheck(ctx) {
      try {
        await readResource(ctx);
        return Health.ok();
      } catch (error) {
        return (error as Error).name === 'VendorError' ? commonHealth(error, 'OAuth Test') : tokenHealth(error, 'OAuth Test');
      }
    },
    actions: [
      defineAction({
        id: `${key}.resource.read`,
        label: 'Read the resource',
        description: 'Reads GET /resource with the connection token',
        sideEffectful: false,
        clientScoped: false,
        input: z.strictObject({}),
        output: z.object({ ok: z.boolean() }),
        async run(ctx) {
          await readResource(ctx);
          return { output: { ok: true } };
        },
      }),
    ],
    close: () => http.close(),
  };
}

export const oauthTestSettings = (grant: 'cc' | 'code') => ({ client_id: fakeClient.id, client_secret: fakeClient.secret, grant });
