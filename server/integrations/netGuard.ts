import dns, { type LookupAddress } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

/**
 * Where a partner-supplied URL may lead. Today's plugins do not take URLs from partners (Syncro
 * builds its host from a validated label, MSP360's host is the operator's); this guard is for
 * the plugins that will. `allowPrivateNetwork` mirrors INTEGRATIONS_ALLOW_PRIVATE_NETWORK, for
 * on-premises deployments whose vendor tools live on the LAN.
 */
export interface NetPolicy {
  allowPrivateNetwork: boolean;
}

/**
 * - `public`: globally routable unicast.
 * - `private`: loopback, RFC 1918, link-local, unique-local, carrier-grade NAT: allowed only with
 *   `allowPrivateNetwork`.
 * - `metadata`: cloud instance-metadata endpoints. Refused even with `allowPrivateNetwork`: no
 *   vendor API lives there and they hand out the server's own cloud credentials.
 * - `forbidden`: unspecified, broadcast, multicast, reserved, documentation and tunnelling ranges
 *   whose embedded address cannot be checked (Teredo …). Never a vendor.
 */
export type AddressClass = 'public' | 'private' | 'metadata' | 'forbidden';

const metadataAddresses = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean …
  '169.254.170.2', // AWS ECS task metadata
  '169.254.170.23', // AWS EKS pod identity
  '100.100.100.200', // Alibaba Cloud
  '168.63.129.16', // Azure WireServer (guest agent, DNS, instance health): public-looking, host-local
  'fd00:ec2::254', // AWS over IPv6
  'fd00:ec2::23',
]);

const privateRanges = new Set(['loopback', 'private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'deprecatedSiteLocal']);

/** The class of one IP address (IPv4, IPv6; IPv4-mapped, IPv4-compatible, NAT64 and 6to4 are unwrapped). */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return 'forbidden';
  const parsed = ipaddr.process(bare);
  const canonical = parsed.toString();
  if (metadataAddresses.has(canonical)) return 'metadata';
  const range = parsed.range();
  // IPv4-compatible IPv6 (::/96, deprecated by RFC 4291): `[::127.0.0.1]` is written `::7f00:1`,
  // which ipaddr.js calls unicast; some stacks still route it to the IPv4 address inside.
  if (parsed.kind() === 'ipv6' && range !== 'loopback' && range !== 'unspecified') {
    const bytes = (parsed as ipaddr.IPv6).toByteArray();
    if (bytes.slice(0, 12).every((b) => b === 0)) return classifyAddress(bytes.slice(12, 16).join('.'));
  }
  if (range === 'unicast') return 'public';
  if (privateRanges.has(range)) return 'private';
  if (parsed.kind() === 'ipv6') {
    const embedded = embeddedIPv4(parsed as ipaddr.IPv6, range);
    if (embedded) return classifyAddress(embedded);
  }
  return 'forbidden';
}

/** NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address we can check. */
function embeddedIPv4(address: ipaddr.IPv6, range: string): string | undefined {
  const bytes = address.toByteArray();
  if (range === 'rfc6052') return bytes.slice(12, 16).join('.');
  if (range === '6to4') return bytes.slice(2, 6).join('.');
  return undefined;
}

export function isAllowedAddress(address: string, policy: NetPolicy): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'private' && policy.allowPrivateNetwork);
}

/** A connection the guard refused. Carries the host and address, never a URL (it may hold a token). */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(`${host} resolves to ${address}, a ${addressClass === 'private' ? 'private or loopback' : addressClass} address, which integrations may not reach`);
  }
}

/** Resolves every address of a host name (A and AAAA). Injectable so tests can stage DNS answers. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const resolveAll: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

function checkAll(host: string, addresses: LookupAddress[], policy: NetPolicy): void {
  if (addresses.length === 0) throw new BlockedAddressError(host, '(none)', 'forbidden');
  // Every address must pass, not just one: a name answering both a public and a private address
  // would otherwise let the connection land on whichever the resolver happens to prefer.
  for (const { address } of addresses) {
    if (!isAllowedAddress(address, policy)) throw new BlockedAddressError(host, address, classifyAddress(address));
  }
}

/**
 * Checks a partner-supplied URL before it is stored or used: http(s) only, no user:password part,
 * and a host whose every resolved address is allowed. Returns the parsed URL.
 * A check at save time alone is not enough (DNS may change): connect through
 * `createGuardedAgent`, which checks again at connection time.
 */
export async function assertAllowedUrl(input: string | URL, policy: NetPolicy, resolve: ResolveAll = resolveAll): Promise<URL> {
  const url = new URL(input);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('only http and https URLs are allowed');
  if (url.username || url.password) throw new TypeError('credentials may not be part of the URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) checkAll(host, [{ address: host, family: net.isIP(host) }], policy);
  else checkAll(host, await resolve(host), policy);
  return url;
}

/**
 * A `lookup` for net/tls connect that refuses blocked addresses. Because the connection uses the
 * very addresses that were checked, a DNS answer that changes between check and connect
 * (rebinding) cannot slip through.
 */
export function guardedLookup(policy: NetPolicy, resolve: ResolveAll = resolveAll): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const addresses = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        try {
          checkAll(hostname, found, policy);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, '');
          return;
        }
        const first = addresses[0];
        if (!first) callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/**
 * An undici dispatcher for partner-supplied URLs: IP-literal hosts are checked before connecting
 * (net.connect skips `lookup` for them) and names are checked at resolution time.
 */
export function createGuardedAgent(policy: NetPolicy, options: { connectTimeoutMs?: number; resolve?: ResolveAll } = {}): Agent {
  const connector = buildConnector({ timeout: options.connectTimeoutMs ?? 5_000, lookup: guardedLookup(policy, options.resolve) });
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(host) && !isAllowedAddress(host, policy)) {
        callback(new BlockedAddressError(host, host, classifyAddress(host)), null);
        return;
      }
      connector(connectOptions, callback);
    },
  });
}
