import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { endpointOf } from './endpoint.js';

/**
 * The stdio bridge (issue 25, docs/mcp.md): for MCP clients that launch a command rather than
 * speak HTTP. It relays every JSON-RPC message between its stdin/stdout and the server's /mcp
 * unchanged, with the token from the environment (never argv: a command line is visible to every
 * user of the machine). It holds no state of its own: tools, exactly-once and refusals are the
 * server's. Its own words go to stderr only: stdout is the protocol.
 */
export interface BridgeOptions {
  /** The API server (`https://ic.example.com`) or its MCP endpoint (`…/mcp`). */
  server: string;
  token: string;
  stdin?: Readable;
  stdout?: Writable;
  log?: (line: string) => void;
}

/** A refusal's own words (the server answers a JSON-RPC error body), not the transport's wrapping. */
function reasonOf(error: unknown, endpoint: URL): string {
  const message = error instanceof Error ? error.message : String(error);
  // fetch's own "fetch failed" hides why: the cause's code says it (ECONNREFUSED, ENOTFOUND, …).
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (message === 'fetch failed') return `cannot reach ${endpoint.href}${typeof cause?.code === 'string' ? ` (${cause.code})` : ''}`;
  const body = /\{.*\}/s.exec(message)?.[0];
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown } };
      if (typeof parsed.error?.message === 'string') return parsed.error.message;
    } catch {
      // Not JSON: the message as it is.
    }
  }
  return message.slice(0, 500);
}

export async function startBridge(options: BridgeOptions): Promise<{ closed: Promise<void>; close: () => Promise<void> }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const local = new StdioServerTransport(options.stdin, options.stdout);
  const endpoint = endpointOf(options.server);
  const remote = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { authorization: `Bearer ${options.token}` } } });
  const initializing = new Set<string | number>();
  let ending = false;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const close = async () => {
    if (ending) return;
    ending = true;
    await remote.close().catch(() => undefined);
    await local.close().catch(() => undefined);
    resolveClosed();
  };

  local.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message) && message.method === 'initialize') initializing.add(message.id);
    remote.send(message).catch((error: unknown) => {
      // Logged by remote.onerror (the SDK's transport reports every failed send there too).
      const reason = reasonOf(error, endpoint);
      // A request must be answered, or the client waits for ever: its error is the server's refusal.
      if (isJSONRPCRequest(message)) void local.send({ jsonrpc: '2.0', id: message.id, error: { code: -32001, message: reason } }).catch(() => undefined);
    });
  };
  remote.onmessage = (message: JSONRPCMessage) => {
    // The negotiated version goes on every later HTTP request, as the SDK's own client does.
    if (isJSONRPCResultResponse(message) && initializing.delete(message.id)) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') remote.setProtocolVersion(version);
    }
    void local.send(message).catch(() => undefined);
  };
  remote.onerror = (error) => log(`integration-center mcp bridge: ${reasonOf(error, endpoint)}`);
  local.onerror = (error) => log(`integration-center mcp bridge: ${error.message}`);
  local.onclose = () => void close();
  (options.stdin ?? process.stdin).once('end', () => void close());

  await remote.start();
  await local.start();
  return { closed, close };
}
