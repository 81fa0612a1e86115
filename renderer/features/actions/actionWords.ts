import type { Unavailable, UnavailableCode } from '../../../shared/actions.js';
import type { RequestState } from '../../../shared/localActionRequests.js';

/**
 * Why an action cannot run now, in words, for every reason code of shared/actions.ts (the
 * Record makes a new code a type error here). `provider` names the vendor; the server's own
 * message is added where it carries what to fix (the last health message of an Error).
 */
const reasonWords: Record<UnavailableCode, (provider: string, u: Unavailable) => string> = {
  not_configured: (p) => `${p} is not set up yet: configure it on the Overview tab first.`,
  error: (p, u) => `${p} is in Error${u.message ? ` (${u.message.replace(/\.$/, '')})` : ''}: fix the connection first.`,
  disconnected: (p) => `${p} is disconnected: reconnect it first.`,
  missing_mapping: (p) => `This client is not mapped to a ${p} organization yet: map it on the Mappings tab first.`,
  // A role refusal; a plugin's own refusal (a read-only key) comes with the server's message.
  not_permitted: (_p, u) => (u.message ? `${u.message.replace(/\.$/, '')}.` : 'Not permitted with these settings.'),
  needs_public_url: (p) => `The server needs a public address (PUBLIC_BASE_URL) so ${p} can fetch the file.`,
  check_failed: () => 'Couldn’t check whether this can run now; try again in a moment.',
};

/**
 * The sentence for an unavailable action. `not_permitted` is the role for a technician ("Partner
 * admins only.") and the platform operator, but for a partner admin it is the plugin's own refusal
 * (Huntress's read-only account key, Level's Read-only key), told in the server's words.
 */
export function unavailableSentence(unavailable: Unavailable, provider: string, options: { isDev?: boolean; isAdmin?: boolean } = {}): string {
  if (unavailable.code === 'not_permitted' && options.isDev) return 'The platform operator reads partners but runs no actions.';
  if (unavailable.code === 'not_permitted' && !options.isAdmin) return 'Partner admins only.';
  return reasonWords[unavailable.code](provider, unavailable);
}

export const requestStateLabel: Record<RequestState, string> = {
  draft: 'Draft',
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Refused',
  needs_attention: 'Needs attention',
};
