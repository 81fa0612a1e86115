import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSecretCipher } from '../../secrets/cipher.js';
import { parseKeyRing } from '../../secrets/keyRing.js';
import { rotateSecrets } from '../../secrets/rotate.js';
import { startFakeAuthorizationServer, type FakeAuthorizationServer } from '../../integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../../integrations/testing/oauthPlugin.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';
import { testEncryptionKeys } from '../../test/harness.js';
import { createOAuthTokens } from './tokens.js';

let fake: FakeAuthorizationServer;
let w: CatalogWorld;
let plugin: ReturnType<typeof createOAuthTestPlugin>;

beforeAll(async () => {
  fake = await startFakeAuthorizationServer();
  plugin = createOAuthTestPlugin(fake);
  w = await createCatalogWorld({ plugins: [plugin] });
  expect((await w.request('POST', '/api/integrations/oauthtest/configure', w.a.admin, { settings: oauthTestSettings('cc') })).statusCode).toBe(201);
});
afterAll(async () => {
  await w.close();
  await plugin.close();
  await fake.close();
});

it('rotate-key re-encrypts OAuth2 tokens: under the new key, the same token, no new token request', async () => {
  const integration = w.server.deps.registry.get('oauthtest')!;
  const token = await w.server.deps.oauth.source(integration, w.a.id, oauthTestSettings('cc'))!.accessToken();
  const ring = createSecretCipher(parseKeyRing(`k2:${Buffer.alloc(32, 42).toString('base64')},${testEncryptionKeys}`));
  const report = await rotateSecrets(w.server.deps.db, ring);
  expect(report.remaining).toBe(0);
  const { rows } = await w.server.deps.db.pool.query("SELECT access_token->>'kid' AS kid FROM oauth_connections WHERE partner_id = $1", [w.a.id]);
  expect(rows).toEqual([{ kid: 'k2' }]);
  // A server on the new ring alone reads it as it was, and asks the vendor for nothing.
  const onlyNew = createSecretCipher(parseKeyRing(`k2:${Buffer.alloc(32, 42).toString('base64')}`));
  const deps = w.server.deps;
  const requests = fake.tokenRequests.client_credentials;
  const again = await createOAuthTokens({ db: deps.db, secrets: onlyNew, log: deps.log, config: deps.config }).source(integration, w.a.id, oauthTestSettings('cc'))!.accessToken();
  expect(again.value).toBe(token.value);
  expect(fake.tokenRequests.client_credentials).toBe(requests);
});
