import { VendorError } from './errors.js';
import type { InteractionEntry, InteractionScope } from './interactionScope.js';
import { redactSecrets } from './redactSecrets.js';
import type { VendorRequest, VendorResponse } from './vendorClient.js';

/** What the retry loop notes about a call while it runs, for the interaction log. */
export interface CallTrace {
  attempts: number;
  /** The last HTTP status the vendor answered, if it answered. */
  status: number | null;
  /** The last answer's body as read (capped by the client), for error bodies. */
  responseBytes?: Buffer;
  responseContentType?: string | undefined;
}

/**
 * Runs one vendor call and hands its entry to the scope's recorder when it has finished, with or
 * without success. Costs the caller a few property writes: redaction, capping and the insert
 * happen in the recorder, later. A recorder that throws is ignored: the log must never break the
 * call it describes.
 */
export async function recordCall(
  scope: InteractionScope,
  vendor: string,
  req: VendorRequest,
  run: (trace: CallTrace) => Promise<VendorResponse>,
): Promise<VendorResponse> {
  const trace: CallTrace = { attempts: 0, status: null };
  const startedAt = new Date();
  const started = performance.now();
  const base = {
    vendor,
    method: req.method,
    // The writer scrubs again; scrubbed here too so no entry ever holds a credential from the path.
    path: redactSecrets(req.url.pathname, req.secrets),
    host: req.url.host,
    // A form is a token request: only its grant type and scopes are kept, never the secret, code or verifier.
    requestBody: req.form ? formSummary(req.form) : req.json,
    secrets: req.secrets,
    startedAt,
  };
  const report = (entry: Omit<InteractionEntry, keyof typeof base>) => {
    try {
      scope.recorder?.record(scope, { ...base, ...entry });
    } catch {
      // Never into the caller.
    }
  };
  try {
    const res = await run(trace);
    report({ status: res.status, durationMs: performance.now() - started, retries: Math.max(0, trace.attempts - 1), outcome: 'ok', responseBody: res.data });
    return res;
  } catch (error) {
    const vendorError = error instanceof VendorError ? error : undefined;
    const status = vendorError?.details.status ?? null;
    report({
      // A status the vendor sent that is not the one that failed the call (e.g. a 200 too large to read) stays recorded.
      status: status ?? trace.status,
      durationMs: performance.now() - started,
      retries: Math.max(0, trace.attempts - 1),
      outcome: status !== null ? 'vendor_error' : 'failed',
      errorKind: vendorError?.kind ?? 'unexpected',
      responseBody: status !== null ? errorBody(trace) : undefined,
    });
    throw error;
  }
}

/** An error answer's body: its JSON when it is JSON, else its text. */
function errorBody(trace: CallTrace): unknown {
  const bytes = trace.responseBytes;
  if (!bytes || bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function formSummary(form: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key of ['grant_type', 'scope']) if (form[key] !== undefined) kept[key] = form[key] as string;
  return kept;
}
