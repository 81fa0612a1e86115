import { request, type Dispatcher } from 'undici';
import { BlockedAddressError } from '../../integrations/netGuard.js';
import { signWebhook, webhookHeaders } from './signature.js';

/** The JSON a receiver gets. Alert bodies carry only key, status and message: never settings or secrets. */
export interface WebhookEvent {
  /** `alert.failure`, `alert.recovery`, … or `webhook.test`. */
  event: string;
  /** The alert's id: the same on every retry, so receivers can drop duplicates. */
  id: string;
  partnerId: number;
  integrationKey: string | null;
  kind: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  health: string | null;
  message: string | null;
  occurredAt: string;
}

export interface SendOutcome {
  delivered: boolean;
  status: number | null;
  /** Why not, in words safe to store and show (no URL, body or secret). */
  error: string | null;
}

/**
 * POSTs one signed event. Delivered means a 2xx within the timeout; redirects are not followed
 * (a receiver cannot bounce us elsewhere) and the answer body is discarded unread.
 */
export async function sendWebhook(
  target: { url: string; secret: string },
  event: WebhookEvent,
  options: { dispatcher: Dispatcher; ports: WebhookPorts; timeoutMs?: number; now?: () => number },
): Promise<SendOutcome> {
  const portProblem = webhookPortProblem(target.url, options.ports);
  if (portProblem) return { delivered: false, status: null, error: portProblem };
  const body = JSON.stringify(event);
  const timestamp = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    const res = await request(target.url, {
      method: 'POST',
      dispatcher: options.dispatcher,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'IntegrationCenter-Webhooks/0.1',
        [webhookHeaders.event]: event.event,
        [webhookHeaders.delivery]: event.id,
        [webhookHeaders.timestamp]: String(timestamp),
        [webhookHeaders.signature]: signWebhook(target.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return { delivered: ok, status: res.statusCode, error: ok ? null : `The receiver answered HTTP ${res.statusCode}` };
  } catch (error) {
    return { delivered: false, status: null, error: describe(error) };
  }
}

/**
 * Why a delivery failed, in words that do not tell a socket-level story (refused, unreachable,
 * reset, filtered): those would turn "Send test delivery" into a port scanner (issue 20 §7.4).
 */
function describe(error: unknown): string {
  if (error instanceof BlockedAddressError) return error.message;
  const code = codeOf(error);
  if (code === 'EBLOCKEDADDRESS') return 'The receiver address is not allowed';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The receiver host name does not resolve';
  return 'Could not deliver: no HTTP answer from the receiver';
}

/** `any`, or the TCP ports a webhook URL may use (config WEBHOOK_PORTS). */
export type WebhookPorts = 'any' | readonly number[];

/** Why this URL's port may not be used, or null when it may. */
export function webhookPortProblem(url: string, ports: WebhookPorts): string | null {
  if (ports === 'any') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // Not a URL at all: the network guard says so in its own words.
  }
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  return ports.includes(port) ? null : `Port ${port} is not allowed for webhooks; use ${ports.join(' or ')}`;
}

function codeOf(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  return cause && cause !== error ? codeOf(cause) : undefined;
}
