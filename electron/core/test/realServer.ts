import type { AddressInfo } from 'node:net';
import { createTestServer, type TestServer } from '../../../server/test/harness.js';
import { makePartner, makeUser } from '../../../server/test/factories.js';

/**
 * The real API server (Fastify + tRPC + PostgreSQL of its own) listening on a loopback port, so
 * the desktop core talks to it over real HTTP like it would in use.
 */
export async function listeningServer(): Promise<{ server: TestServer; url: string; admin: Awaited<ReturnType<typeof makeUser>>; close(): Promise<void> }> {
  const server = await createTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const partner = await makePartner(server.deps.db);
  const admin = await makeUser(server.deps.db, partner.id, 'partner_admin');
  return { server, url: `http://127.0.0.1:${port}`, admin, close: () => server.close() };
}
