import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserOpener, formatBanner, type BannerInput } from './banner.js';

const input: BannerInput = {
  serverUrl: 'http://127.0.0.1:8787',
  desktopUrl: 'http://127.0.0.1:8790/#launch=abc',
  opening: 'no-browser',
  database: 'embedded PostgreSQL, files in .data/pg',
  partners: [
    { id: 1, name: 'ACG', isDev: true },
    { id: 2, name: 'Northwind MSP', isDev: false },
  ],
  logins: [
    { email: 'admin@acg.example', password: 'demo-acg-admin', role: 'partner_admin', partnerId: 1 },
    { email: 'tech@acg.example', password: 'demo-acg-tech', role: 'partner_user', partnerId: 1 },
    { email: 'admin@northwind.example', password: 'demo-northwind-admin', role: 'partner_admin', partnerId: 2 },
    { email: 'tech@northwind.example', password: 'demo-northwind-tech', role: 'partner_user', partnerId: 2 },
  ],
  integrations: [{ partner: 'Northwind MSP', key: 'msp360', status: 'Error', message: 'MSP360 rejected the API login or password' }],
  hint: 'Fix the MSP360 password.',
};

const line = (text: string, start: string) => text.split('\n').find((l) => l.trimStart().startsWith(start)) ?? '';

describe('npm start banner', () => {
  it('marks the platform operator’s logins and names the one to use for the fleet', () => {
    const text = formatBanner(input);
    expect(line(text, 'admin@acg.example')).toMatch(/demo-acg-admin\s+admin\s+ACG \(platform operator\)$/);
    expect(line(text, 'tech@acg.example')).toMatch(/technician\s+ACG \(platform operator\)$/);
    expect(line(text, 'admin@northwind.example')).toMatch(/admin\s+Northwind MSP$/);
    expect(line(text, 'tech@northwind.example')).not.toContain('platform operator');
    expect(text).toContain('Platform operator: ACG — sign in as admin@acg.example');
  });

  it('says whether the desktop address was opened, or how to open it', () => {
    expect(formatBanner({ ...input, opening: 'opened' })).toContain('http://127.0.0.1:8790/#launch=abc\n              (opened in your browser)');
    expect(formatBanner(input)).toContain('(no browser found here: open this address in a browser on this machine)');
    expect(formatBanner({ ...input, opening: 'not-asked' })).toContain('(BROWSER=none: open this address');
    expect(line(formatBanner({ ...input, desktopUrl: null }), 'Desktop').trim()).toBe('Desktop     Electron window');
  });

  it('lines up the demo integrations whatever the length of their keys', () => {
    const text = formatBanner({
      ...input,
      integrations: [
        { partner: 'Northwind MSP', key: 'msp360', status: 'Error', message: 'MSP360 rejected the API login or password' },
        { partner: 'Northwind MSP', key: 'tacticalrmm', status: 'Active', message: null },
      ],
    });
    const rows = text.split('\n').filter((l) => l.startsWith('    Northwind MSP '));
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.indexOf('Error') === -1 ? r.indexOf('Active') : r.indexOf('Error'))).toEqual([37, 37]);
  });

  it('has no platform operator line when no partner is one', () => {
    expect(formatBanner({ ...input, partners: input.partners.map((p) => ({ ...p, isDev: false })) })).not.toContain('platform operator');
  });
});

describe('finding a browser to open', () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(path.join(tmpdir(), 'ic-banner-'));
    await writeFile(path.join(bin, 'xdg-open'), '#!/bin/sh\n');
    await chmod(path.join(bin, 'xdg-open'), 0o755);
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  it('on Linux needs a graphical session and xdg-open', () => {
    expect(browserOpener({ PATH: bin, DISPLAY: ':0' }, 'linux')).toEqual({ command: path.join(bin, 'xdg-open'), args: [] });
    expect(browserOpener({ PATH: bin, WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toMatchObject({ command: path.join(bin, 'xdg-open') });
    // A server or SSH session: no display, so nothing to open it in.
    expect(browserOpener({ PATH: bin }, 'linux')).toBeNull();
    expect(browserOpener({ PATH: path.join(bin, 'missing'), DISPLAY: ':0' }, 'linux')).toBeNull();
  });

  it('uses the system opener on macOS and Windows, and none with BROWSER=none', () => {
    expect(browserOpener({}, 'darwin')).toEqual({ command: 'open', args: [] });
    expect(browserOpener({}, 'win32')).toMatchObject({ command: 'cmd' });
    expect(browserOpener({ BROWSER: 'none', DISPLAY: ':0', PATH: bin }, 'linux')).toBe('not-asked');
  });
});
