import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };
/** The per-request child logger (pino underneath, typed as Fastify exposes it). */
export type RequestLog = FastifyBaseLogger;

interface RequestLike {
  id?: unknown;
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
  ip?: string;
}

/**
 * Logs carry only fields named here (an allow-list): a request is its id, method, path without
 * query string (a vendor-style `api_key=` must never reach a log) and client address; headers
 * and bodies are never logged, so no token, password or secret can leak through them.
 */
const serializers = {
  req: (req: RequestLike) => ({
    id: req.id,
    method: req.method,
    path: req.url?.split('?')[0],
    route: req.routeOptions?.url,
    ip: req.ip,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: (err: Error & { code?: unknown; statusCode?: unknown }) => ({
    type: err.name,
    message: err.message,
    code: typeof err.code === 'string' ? err.code : undefined,
    statusCode: typeof err.statusCode === 'number' ? err.statusCode : undefined,
    stack: err.stack,
  }),
};

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'integration-center' },
      serializers,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
