import { redactedMark, redactSecrets } from '../../integrations/http/redactSecrets.js';

/**
 * What of a vendor call's bodies the interaction log keeps (issue 15 item 6). An ALLOW-list: a
 * value is kept only under a key known to carry no credential and little personal data (ids,
 * names, subjects, comment bodies, statuses, counts, dates); everything else becomes
 * "[redacted]" while the structure stays visible. Keys that look like credentials are redacted
 * whole even when a rule would keep them, the call's secret values are scrubbed from every kept
 * string, and a body is capped at `maxBodyBytes` of JSON (then kept as a marked preview).
 */
export { redactedMark };
export const maxBodyBytes = 8 * 1024;

/** Lower case, no `_` or `-`: `customer_id`, `CustomerId` and `customer-id` are one key. */
const normal = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

const allowed = new Set(
  [
    // identities and names
    'id', 'uid', 'number', 'name', 'businessname', 'companyname', 'companyid', 'customerid', 'ticketid', 'planid', 'planname',
    'plantype', 'computername', 'storagetype', 'productid', 'userid', 'tech',
    // ticket and comment content the partner wrote or reads on the vendor's own screen
    'subject', 'body', 'comment', 'hidden', 'donotemail', 'status', 'problemtype', 'priority', 'notes', 'billable',
    // times, durations, sizes, counts, paging
    'createdat', 'updatedat', 'startat', 'endat', 'durationminutes', 'laststart', 'nextstart', 'lastactivity', 'duration',
    'datacopied', 'datatobackup', 'totaldata', 'filescopied', 'filesfailed', 'filesscanned', 'filestobackup',
    'count', 'total', 'totalpages', 'totalentries', 'page', 'perpage', 'nextcursor',
    // vendors' error answers
    'message', 'error', 'errors', 'errormessage', 'errordescription', 'statuscode', 'success',
  ].map(normal),
);

/** Never kept, whatever the allow-list says: a rule added for a new vendor cannot leak one of these. */
const credentialLike = /pass|secret|token|auth|apikey|credential|cookie|session|signature|privatekey|bearer/;

export interface RedactedBody {
  value: unknown;
  truncated: boolean;
}

/** The body as the log keeps it (undefined stays undefined: no body was sent or received). */
export function redactBody(body: unknown, secrets: readonly string[]): RedactedBody | undefined {
  if (body === undefined) return undefined;
  const scrub = scrubber(secrets);
  // A bare string answer (an error page, a plain message) has no keys to judge: its text is kept, scrubbed.
  const value = typeof body === 'string' ? scrub(body) : walk(body, undefined, scrub, 0);
  const text = JSON.stringify(value) ?? 'null';
  if (Buffer.byteLength(text) <= maxBodyBytes) return { value, truncated: false };
  // Kept as the start of its JSON text: still readable, plainly not the whole body.
  return { value: Buffer.from(text).subarray(0, maxBodyBytes).toString('utf8').replace(/\uFFFD+$/, ''), truncated: true };
}

function walk(value: unknown, key: string | undefined, scrub: (s: string) => string, depth: number): unknown {
  if (key !== undefined && credentialLike.test(key)) return redactedMark;
  if (Array.isArray(value)) return depth > 20 ? redactedMark : value.map((item) => walk(item, key, scrub, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (depth > 20) return redactedMark;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, normal(k), scrub, depth + 1);
    return out;
  }
  if (key === undefined || !allowed.has(key)) return value === null ? null : redactedMark;
  return typeof value === 'string' ? scrub(value) : value;
}

/** Replaces every secret value, in any of the forms a vendor might echo it, in a string. */
function scrubber(secrets: readonly string[]): (s: string) => string {
  if (!secrets.some((s) => s.length >= 4)) return (s) => s;
  return (s) => redactSecrets(s, secrets);
}
