import { randomUUID } from 'node:crypto';
import type { FakeResponse } from '../../fakeServerKit.js';

/**
 * The Microsoft identity platform's token-endpoint error, as the Teams and Microsoft 365 fakes
 * answer it: `{error, error_description: "AADSTSnnn: … Trace ID … Correlation ID … Timestamp …",
 * error_codes, timestamp, trace_id, correlation_id, error_uri}` [entra reference-error-codes.md].
 * Microsoft separates the description's trailer with CRLF; the Bot Framework samples the Teams
 * fake follows show it on one line (`separator: ' '`).
 */
export function entraError(status: number, error: string, code: number, text: string, separator = '\r\n'): FakeResponse {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    json: {
      error,
      error_description: [`AADSTS${code}: ${text}`, `Trace ID: ${trace}`, `Correlation ID: ${correlation}`, `Timestamp: ${timestamp}`].join(separator),
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
