import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test/waitFor.js';
import { openChangeStream } from './changeStream.js';

// Over loopback HTTP: when the stream tells the engine the server is away, and how soon it opens.

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An SSE endpoint that sends one poke and keeps the stream open; `port` stays fixed across restarts. */
async function sseServer(port = 0): Promise<{ server: Server; port: number; streams: ServerResponse[] }> {
  const streams: ServerResponse[] = [];
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ serverVersion: 7 })}\n\n`);
    streams.push(res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  closers.push(() => stop(server));
  return { server, port: (server.address() as AddressInfo).port, streams };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function open(port: number, getToken: () => string | null) {
  const events = { pokes: 0, lost: 0 };
  const close = openChangeStream({
    serverUrl: `http://127.0.0.1:${port}`,
    path: '/trpc/sync.changes',
    getToken,
    onPoke: () => (events.pokes += 1),
    onLost: () => (events.lost += 1),
    backoff: { baseMs: 10, maxMs: 20 },
    random: () => 0.5,
  });
  closers.push(close);
  return events;
}

describe('change stream', () => {
  it('says the server may be away on every refused attempt, and once when a connected stream breaks', async () => {
    const { server, port } = await sseServer();
    await stop(server);
    const events = open(port, () => 'token');
    // Every 10–20 ms retry is said: the engine, which may have found the server meanwhile, is the
    // one that knows whether a repeat is news (the e2e flap: its retry beat this stream's).
    await waitFor(() => events.lost >= 3);

    const back = await sseServer(port);
    await waitFor(() => events.pokes === 1);
    const before = events.lost;
    await new Promise((r) => setTimeout(r, 100)); // connected: nothing to say
    expect(events.lost).toBe(before);
    await stop(back.server);
    await waitFor(() => events.lost > before);
  });

  it('a server shutting down gracefully (streams ended, then gone) is said when the stream ends and again when nobody answers', async () => {
    const { server, port, streams } = await sseServer();
    const events = open(port, () => 'token');
    await waitFor(() => events.pokes === 1);
    // What the API server does on close(): it stops accepting connections and ends its change
    // streams with tRPC's "return" event. The sync the first report starts may still be answered
    // (503 while closing), so the engine must hear again once the reconnect finds nobody.
    server.close();
    for (const res of streams) res.end('event: return\ndata: \n\n');
    await waitFor(() => events.lost >= 2);
  });

  it('opens within about a second of a token appearing (sign-in), not on a 30 s signed-out timer', async () => {
    const { port, streams } = await sseServer();
    let token: string | null = null;
    const events = open(port, () => token);
    await new Promise((r) => setTimeout(r, 100));
    expect(streams).toHaveLength(0);
    token = 'signed-in';
    await waitFor(() => events.pokes === 1, 2_500);
    expect(events.lost).toBe(0);
  });
});
