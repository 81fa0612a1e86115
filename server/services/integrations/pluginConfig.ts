import type { Config } from '../../config.js';

/**
 * The server configuration as plugins see it: everything they may need (vendor base URLs, the
 * private-network switch), without the credentials of the server itself — the JWT secret, the
 * encryption key ring, the legacy credentials key, the database URL — so a plugin that logs or
 * echoes its context cannot leak them.
 */
export function pluginConfig(config: Config): Config {
  return { ...config, databaseUrl: undefined, encryptionKeys: undefined, credentialsKey: undefined, jwt: { ...config.jwt, secret: undefined } };
}
