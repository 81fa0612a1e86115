import type { FastifyInstance } from 'fastify';

/**
 * Waits for `closing` (the app's close(), with whatever stops beside it) while dropping every
 * connection the app still has. Tests leave client sockets behind (a fetch aborted while it
 * connected, a change stream, keep-alive): Node does not count them as idle, so close() would
 * wait for the client's keep-alive timeout. The test is over, so they are cut.
 */
export async function dropConnectionsWhile<T>(app: FastifyInstance, closing: Promise<T>): Promise<T> {
  const dropping = setInterval(() => app.server.closeAllConnections(), 20);
  try {
    return await closing;
  } finally {
    clearInterval(dropping);
  }
}
