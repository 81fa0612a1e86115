import type { ConnectionState, GrantKindName } from '../../../shared/integrations/oauth.js';
import type { BadgeTone } from '../../components/Badge.js';

/** What the grant means for the person, in one line. */
export function grantText(grant: GrantKindName, vendor: string): string {
  return grant === 'oauth2ClientCredentials' ? 'Client credentials: the server gets tokens itself' : `Sign in at ${vendor}`;
}

export const stateLabel: Record<ConnectionState, { label: string; tone: BadgeTone }> = {
  not_connected: { label: 'Not connected', tone: 'neutral' },
  connected: { label: 'Connected', tone: 'ok' },
  reconnect_needed: { label: 'Reconnect needed', tone: 'warn' },
  disconnected: { label: 'Disconnected', tone: 'danger' },
};

/** "monitoring, offline_access", or a word for none. */
export const scopeList = (scopes: readonly string[]): string => (scopes.length ? scopes.join(', ') : 'no particular scopes');
