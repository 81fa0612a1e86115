import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAllowedUrl, BlockedAddressError, classifyAddress, createGuardedAgent, isAllowedAddress, type ResolveAll } from './netGuard.js';

const strict = { allowPrivateNetwork: false };
const lenient = { allowPrivateNetwork: true };

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'private'],
    ['127.8.9.10', 'private'],
    ['::1', 'private'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.10', 'private'],
    ['fe80::1%eth0', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    // Issue 20 §7.3: IPv4-compatible IPv6 ([::127.0.0.1] is written ::7f00:1) and Azure's WireServer.
    ['::7f00:1', 'private'],
    ['[::127.0.0.1]', 'private'],
    ['::a9fe:a9fe', 'metadata'],
    ['::808:808', 'public'],
    ['168.63.129.16', 'metadata'],
    ['::ffff:168.63.129.16', 'metadata'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['2001:0:4136:e378::1', 'forbidden'],
    ['not-an-ip', 'forbidden'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('lets private addresses through only when the private network is allowed, metadata never', () => {
    expect(isAllowedAddress('10.0.0.5', strict)).toBe(false);
    expect(isAllowedAddress('10.0.0.5', lenient)).toBe(true);
    expect(isAllowedAddress('169.254.169.254', lenient)).toBe(false);
    expect(isAllowedAddress('0.0.0.0', lenient)).toBe(false);
    expect(isAllowedAddress('1.1.1.1', strict)).toBe(true);
  });
});

describe('assertAllowedUrl', () => {
  const staged =
    (answers: Record<string, string[]>): ResolveAll =>
    async (host) =>
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('checks every address a name resolves to', async () => {
    const resolve = staged({ 'api.vendor.test': ['93.184.216.34'], 'mixed.vendor.test': ['93.184.216.34', '10.0.0.8'] });
    await expect(assertAllowedUrl('https://api.vendor.test/v1', strict, resolve)).resolves.toBeInstanceOf(URL);
    await expect(assertAllowedUrl('https://mixed.vendor.test/v1', strict, resolve)).rejects.toThrow(BlockedAddressError);
    await expect(assertAllowedUrl('https://nowhere.vendor.test/', strict, resolve)).rejects.toThrow(BlockedAddressError);
  });

  it('refuses loopback after real DNS resolution (localhost), and literal and encoded forms', async () => {
    await expect(assertAllowedUrl('http://localhost:8080/', strict)).rejects.toThrow(/private or loopback/);
    await expect(assertAllowedUrl('http://127.0.0.1/', strict)).rejects.toThrow(BlockedAddressError);
    await expect(assertAllowedUrl('http://2130706433/', strict)).rejects.toThrow(BlockedAddressError);
    await expect(assertAllowedUrl('http://0x7f.1/', strict)).rejects.toThrow(BlockedAddressError);
    await expect(assertAllowedUrl('http://[::1]/', strict)).rejects.toThrow(BlockedAddressError);
    await expect(assertAllowedUrl('http://169.254.169.254/latest/meta-data/', lenient)).rejects.toThrow(/metadata/);
    await expect(assertAllowedUrl('http://localhost:8080/', lenient)).resolves.toBeInstanceOf(URL);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    await expect(assertAllowedUrl('file:///etc/passwd', lenient)).rejects.toThrow(/http/);
    await expect(assertAllowedUrl('https://user:pw@93.184.216.34/', lenient)).rejects.toThrow(/credentials/);
  });
});

describe('createGuardedAgent', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses to connect to loopback by IP or by a name resolving to it', async () => {
    const agent = createGuardedAgent(strict);
    await expect(request(`http://127.0.0.1:${port}/`, { dispatcher: agent })).rejects.toThrow(BlockedAddressError);
    await expect(request(`http://localhost:${port}/`, { dispatcher: agent })).rejects.toThrow(BlockedAddressError);
    await agent.close();
  });

  it('refuses a public-looking name whose DNS answer is private at connect time (rebinding)', async () => {
    const agent = createGuardedAgent(strict, { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    await expect(request(`http://vendor.example:${port}/`, { dispatcher: agent })).rejects.toThrow(/private or loopback/);
    await agent.close();
  });

  it('connects when the private network is allowed', async () => {
    const agent = createGuardedAgent(lenient);
    const res = await request(`http://localhost:${port}/`, { dispatcher: agent });
    expect(await res.body.json()).toEqual({ ok: true });
    await agent.close();
  });
});
