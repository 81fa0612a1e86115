import { createServer } from 'node:net';

/**
 * Keeps a stopped test server's port ours until it comes back: a listener that drops every
 * connection at once, so a client sees the server as unreachable (a reset, like a refusal: no
 * answer). Without it the freed port can go to another test's server in a parallel run, and a
 * desktop core "offline" on purpose is answered by a stranger and thinks it is online — the
 * reconnect e2e suite once failed that way on two loaded cores.
 */
export async function holdPort(port: number): Promise<() => Promise<void>> {
  const holder = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    holder.once('error', (error) => reject(new Error(`port ${port} was taken while its test server was down: ${error.message}`)));
    holder.listen(port, '127.0.0.1', resolve);
  });
  return () => new Promise<void>((resolve) => holder.close(() => resolve()));
}
