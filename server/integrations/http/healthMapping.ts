import type { Logger } from '../../logger.js';
import { Health, type HealthResult } from '../types.js';
import { formatSeconds } from './budget.js';
import { VendorError } from './errors.js';

function withVendorMessage(text: string, error: VendorError): string {
  return error.details.vendorMessage ? `${text}: ${error.details.vendorMessage}` : text;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * The health every plugin reports for failures that mean the same whoever the vendor is:
 * transient trouble (timeouts, 429, 5xx, unreachable) is Degraded — the integration is configured
 * right and should recover on its own — while answers we cannot use (malformed or oversized
 * bodies, refused addresses, unexpected 4xx) are Error. Plugins handle 401/403/404 themselves
 * first, because what those mean depends on the endpoint.
 */
export function commonHealth(error: unknown, vendor: string, log?: Logger): HealthResult {
  if (!(error instanceof VendorError)) {
    // A bug of ours, not the vendor's answer. Only the error's type is logged: its message could
    // quote anything, and this path has no allow-list.
    log?.error({ vendor, errorType: error instanceof Error ? error.name : typeof error }, 'vendor check failed unexpectedly');
    return Health.error(`${vendor} check failed unexpectedly`);
  }
  const { details } = error;
  switch (error.kind) {
    case 'timeout':
      return Health.degraded(`${vendor} did not answer within ${details.timeoutMs ? formatSeconds(details.timeoutMs) : 'the time allowed'}`);
    case 'rate_limited':
      if (details.local) return Health.degraded(`This server's request budget for ${vendor} is used up for the moment; the next check will try again`);
      return Health.degraded(
        withVendorMessage(
          `${vendor} is rate limiting requests (HTTP 429${details.retryAfterMs !== undefined ? `, retry after ${formatSeconds(details.retryAfterMs)}` : ''})`,
          error,
        ),
      );
    case 'server_error':
      return Health.degraded(withVendorMessage(`${vendor} is having trouble (HTTP ${details.status ?? 500})`, error));
    case 'network':
      return Health.degraded(`Could not reach ${vendor} (${details.code ?? 'network error'})`);
    case 'dns':
      return Health.degraded(`Could not find ${vendor}'s server (DNS ${details.code ?? 'failure'})`);
    case 'aborted':
      return Health.degraded(`The ${vendor} check was cancelled before it finished`);
    case 'too_large':
      return Health.error(`${vendor}'s answer to ${details.operation} was larger than ${formatBytes(details.limitBytes ?? 0)} and was cut off`);
    case 'invalid_response':
      return Health.error(`${vendor} sent an answer to ${details.operation} that could not be read (${details.reason ?? 'invalid'})`);
    case 'blocked':
      return Health.error(`${vendor}'s address is not allowed: ${details.reason ?? 'private network'}`);
    case 'unauthorized':
      return Health.error(withVendorMessage(`${vendor} rejected the credentials (HTTP 401)`, error));
    case 'forbidden':
      return Health.error(withVendorMessage(`${vendor} refused ${details.operation} (HTTP 403)`, error));
    default:
      return Health.error(withVendorMessage(`${vendor} answered HTTP ${details.status ?? '?'} to ${details.operation}`, error));
  }
}

/** Error beats Degraded: when several probes fail, the one that needs the partner wins. */
export function worst(results: readonly HealthResult[]): HealthResult | undefined {
  return results.find((r) => r.status === 'error') ?? results.find((r) => r.status === 'degraded');
}
