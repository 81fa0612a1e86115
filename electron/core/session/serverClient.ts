import { loginOutputSchema, sessionUserSchema, type LoginInput, type LoginOutput, type SessionUser } from '../../../shared/auth.js';
import { callServer, type HttpOptions } from '../server/serverApi.js';

/**
 * The server calls the session needs (`auth.login`, `auth.me`), over the typed client. Every
 * failure is a TransportError, so callers tell "server down" from "wrong password" the same way
 * the sync engine does.
 */
export interface ServerClient {
  login(input: LoginInput): Promise<LoginOutput>;
  me(token: string): Promise<SessionUser>;
}

export function httpServerClient(http: HttpOptions): ServerClient {
  return {
    login: async (input) => loginOutputSchema.parse(await callServer(http, {}, (api) => api.auth.login.mutate(input))),
    me: async (token) => sessionUserSchema.parse(await callServer(http, { token }, (api) => api.auth.me.query())),
  };
}
