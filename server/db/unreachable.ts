/**
 * Whether an error means the database could not be reached or dropped the connection (stopped,
 * restarting, refusing connections), as opposed to a query that failed. Such a request is not
 * the client's fault nor a bug: it is answered 503 with Retry-After, and logged without a stack.
 */

// Socket-level failures while connecting or talking to PostgreSQL.
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

// SQLSTATE class 08 (connection exception) and 57P01–57P03 (admin or crash shutdown, cannot
// connect now), from PostgreSQL's errcodes appendix.
const sqlStates = /^(08\d{3}|57P0[123])$/;

// node-postgres reports some losses only in words (no code): a connection that ended mid-query,
// a pool connect that timed out, a client reused after its connection broke.
const pgMessages = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/, /Connection terminated due to connection timeout/];

export function isDatabaseUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (socketCodes.has(code) || sqlStates.test(code))) return true;
    if (pgMessages.some((re) => re.test(current instanceof Error ? current.message : ''))) return true;
    if (current instanceof AggregateError && current.errors.some((e) => isDatabaseUnreachable(e))) return true;
    current = current.cause;
  }
  return false;
}
