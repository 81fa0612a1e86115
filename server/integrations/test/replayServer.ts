import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One canned answer: a vendor's documented example body and its status. */
export interface ReplayAnswer {
  status: number;
  json: unknown;
}

export interface ReplayServer {
  readonly origin: string;
  /** "METHOD /path" of every request received, in order. */
  readonly received: string[];
  close(): Promise<void>;
}

/**
 * A loopback server that answers `"METHOD /path"` with exactly the body given (404 `{}` for
 * anything else): for replaying a vendor's published example bodies against a plugin, byte for
 * byte, without the fake's own logic in between.
 */
export async function startReplayServer(answers: Record<string, ReplayAnswer>): Promise<ReplayServer> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    const key = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://replay.invalid').pathname}`;
    received.push(key);
    const answer = answers[key] ?? { status: 404, json: {} };
    req.resume();
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
