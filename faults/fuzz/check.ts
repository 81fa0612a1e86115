import { z } from 'zod';
import { apiErrorSchema, trpcErrorDataSchema } from '../../shared/errors.js';
import type { FuzzRequest } from './cases.js';

const trpcErrorSchema = z.object({ error: z.object({ message: z.string(), code: z.number(), data: trpcErrorDataSchema }) });
const trpcErrorOrResult = z.union([trpcErrorSchema, z.object({ result: z.unknown() })]);
/** /mcp speaks JSON-RPC 2.0 (server/mcp/route.ts): MCP clients read its errors in that shape, not ours. */
const jsonRpcErrorSchema = z.object({ jsonrpc: z.literal('2.0'), error: z.object({ code: z.number().int(), message: z.string().min(1) }), id: z.union([z.string(), z.number(), z.null()]) });

export interface Answer {
  status: number;
  body: string;
}

/** A request in a line, cut short, for a violation message (seeded: re-running the seed sends it again). */
export function describe(req: FuzzRequest): string {
  const payload = req.payload === undefined ? '' : ` body ${JSON.stringify(req.payload.slice(0, 160))}${req.payload.length > 160 ? `…(${req.payload.length} chars)` : ''}`;
  const headers = Object.entries(req.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]) => `${k}: ${JSON.stringify(v.slice(0, 60))}`)
    .join(', ');
  return `${req.method} ${req.url.slice(0, 200)}${req.url.length > 200 ? '…' : ''} as ${req.caller} [${req.variant}]${headers ? ` {${headers}}` : ''}${payload}`;
}

/** Whether an error body has the documented shape: the REST one, tRPC's with `data.error` (each, in a batch), or JSON-RPC's at /mcp. */
export function errorShapeOk(req: FuzzRequest, body: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return false;
  }
  if (apiErrorSchema.safeParse(json).success) return true;
  if (req.url === '/mcp' || req.url.startsWith('/mcp?')) return jsonRpcErrorSchema.safeParse(json).success;
  if (!req.url.startsWith('/trpc/')) return false;
  if (Array.isArray(json)) return json.length > 0 && json.every((item) => trpcErrorOrResult.safeParse(item).success) && json.some((item) => trpcErrorSchema.safeParse(item).success);
  return trpcErrorSchema.safeParse(json).success;
}

/**
 * The invariants of one answer: no 5xx; a 4xx in the documented error shape (HEAD has no body);
 * nothing of partner B's in an answer to partner A's callers. Returns what broke, or null.
 */
export function checkAnswer(req: FuzzRequest, answer: Answer, canaries: readonly string[]): string | null {
  if (isVendorRefusal(answer)) return null;
  if (answer.status >= 500) return `${answer.status} for ${describe(req)} → ${answer.body.slice(0, 300)}`;
  // GET /files/:token answers vendors with a plain-text note by design (server/http/files.ts);
  // a 431 comes from Node's HTTP parser (a URL or headers over 16 KB), before any of our code.
  const exempt = req.url.startsWith('/files/') || answer.status === 431;
  if (answer.status >= 400 && req.method !== 'HEAD' && !exempt && !errorShapeOk(req, answer.body)) {
    return `${answer.status} not in the error shape for ${describe(req)} → ${answer.body.slice(0, 300)}`;
  }
  if (answer.status < 300 && req.caller !== 'dev') {
    const leaked = canaries.find((canary) => answer.body.includes(canary));
    if (leaked) return `partner B's "${leaked}" in an answer to ${req.caller}: ${describe(req)}`;
  }
  return null;
}

/**
 * A 502 VENDOR_ERROR is the documented answer when the vendor refused a call made for the user
 * (shared/errors.ts): the fake vendors refuse some on purpose (a token without a permission). It
 * is counted apart, not as a server error; anything else at 5xx is one.
 */
export function isVendorRefusal(answer: Answer): boolean {
  if (answer.status !== 502) return false;
  try {
    const json = JSON.parse(answer.body) as { error?: { code?: unknown; data?: { error?: { code?: unknown } } } };
    return json.error?.code === 'VENDOR_ERROR' || json.error?.data?.error?.code === 'VENDOR_ERROR';
  } catch {
    return false;
  }
}
