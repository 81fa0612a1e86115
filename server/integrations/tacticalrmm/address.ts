import net from 'node:net';
import { assertAllowedUrl, classifyAddress, resolveAll, type NetPolicy, type ResolveAll } from '../netGuard.js';

/** The words for a refused scheme, shared by the save-time check and the health check. */
export const httpsRequired = 'The API URL must start with https:// (plain http is accepted only for a private address, when this server allows private networks)';

/**
 * Plain http only where INTEGRATIONS_ALLOW_PRIVATE_NETWORK allows private addresses at all (a
 * LAN or demo instance): an API key sent in clear over the internet is never acceptable.
 */
export function schemeProblem(url: URL, policy: NetPolicy): string | null {
  return url.protocol === 'http:' && !policy.allowPrivateNetwork ? httpsRequired : null;
}

/**
 * The save-time check of a partner's API URL (netGuard.ts): https (or http under the rule
 * above), and a host whose every address may be reached — no loopback, private or link-local
 * address unless the server allows private networks, never a cloud metadata address. Plain http
 * must also lead only to private addresses. Null when fine, else words for the URL field.
 *
 * Saving is not the only check: every connection goes through the guarded agent (client.ts),
 * which checks the addresses it actually connects to, so a DNS change after saving cannot lead
 * the key elsewhere.
 */
export async function apiAddressProblem(url: URL, policy: NetPolicy, resolve: ResolveAll = resolveAll): Promise<string | null> {
  const scheme = schemeProblem(url, policy);
  if (scheme) return scheme;
  try {
    await assertAllowedUrl(url, policy, resolve);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return `The host name ${url.hostname} does not resolve; check the API URL`;
    if (code === 'EBLOCKEDADDRESS' && error instanceof Error) {
      const hint = /private or loopback/.test(error.message) ? ' (an on-premises instance needs INTEGRATIONS_ALLOW_PRIVATE_NETWORK on this server)' : '';
      return `${error.message}${hint}`;
    }
    return 'Use an https URL without a user name or password';
  }
  if (url.protocol === 'http:') {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = net.isIP(host) ? [host] : (await resolve(host)).map((a) => a.address);
    if (addresses.some((a) => classifyAddress(a) === 'public')) return httpsRequired;
  }
  return null;
}
