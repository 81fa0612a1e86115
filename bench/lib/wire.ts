import net from 'node:net';

export interface ByteCounts {
  /** Client → server: request lines, headers and bodies, as sent. */
  up: number;
  /** Server → client: status lines, headers and bodies, as received (no compression is used). */
  down: number;
}

/**
 * A loopback TCP relay in front of the server that counts every byte each way, so the figures
 * are what the desktop's own requests (undici fetch, its headers included) cost on the wire.
 */
export async function byteCountingProxy(targetPort: number): Promise<{ url: string; counts: ByteCounts; close(): Promise<void> }> {
  const counts: ByteCounts = { up: 0, down: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk) => {
      counts.up += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      counts.down += chunk.length;
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The change in counts while `fn` runs. */
export async function measureBytes(counts: ByteCounts, fn: () => Promise<unknown>): Promise<ByteCounts & { total: number }> {
  const before = { ...counts };
  await fn();
  // Let the last response's bytes pass through the relay's event handlers.
  await new Promise((r) => setImmediate(r));
  const up = counts.up - before.up;
  const down = counts.down - before.down;
  return { up, down, total: up + down };
}
