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
  not_permitted: () => 'Partner admins only.',
  needs_public_url: (p) => `The server needs a public address (PUBLIC_BASE_URL) so ${p} can fetch the file.`,
  check_failed: () => 'Couldn’t check whether this can run now; try again in a moment.',
};

/** The sentence for an unavailable action. The platform operator reads why it runs nothing. */
export function unavailableSentence(unavailable: Unavailable, provider: string, options: { isDev?: boolean } = {}): string {
  if (unavailable.code === 'not_permitted' && options.isDev) return 'The platform operator reads partners but runs no actions.';
  return reasonWords[unavailable.code](provider, unavailable);
}

export const requestStateLabel: Record<RequestState, string> = {
  draft: 'Draft',
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Refused',
  needs_attention: 'Needs attention',
};
