import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAllowedSignInUrl, isTrustedSender } from './policy.js';

describe('external links', () => {
  const allowed = ['https://docs.syncromsp.com', 'https://www.msp360.com'];
  it('opens https links on allowed origins only', () => {
    expect(isAllowedExternalUrl('https://docs.syncromsp.com/api', allowed)).toBe(true);
    for (const url of [
      'http://docs.syncromsp.com/api',
      'https://docs.syncromsp.com.evil.example/',
      'https://user:pw@docs.syncromsp.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://evil.example/',
      'not a url',
      42,
    ]) {
      expect(isAllowedExternalUrl(url, allowed), String(url)).toBe(false);
    }
  });
});

describe('sign-in pages', () => {
  const waiting = 'https://login.example.com/oauth/authorize?client_id=ic&state=abc';
  const fake = 'http://127.0.0.1:4567/authorize?client_id=ic&state=def';
  it('opens exactly a waiting authorize URL: https, or http on loopback only', () => {
    expect(isAllowedSignInUrl(waiting, [waiting])).toBe(true);
    expect(isAllowedSignInUrl(fake, [fake])).toBe(true);
  });
  it('refuses anything else on the same origin, a finished sign-in, plain http and credentials', () => {
    expect(isAllowedSignInUrl('https://login.example.com/anything', [waiting])).toBe(false);
    expect(isAllowedSignInUrl(`${waiting}&x=1`, [waiting])).toBe(false);
    expect(isAllowedSignInUrl(waiting, [])).toBe(false);
    const plain = 'http://login.example.com/oauth/authorize?state=abc';
    expect(isAllowedSignInUrl(plain, [plain])).toBe(false);
    const creds = 'https://user:pw@login.example.com/authorize';
    expect(isAllowedSignInUrl(creds, [creds])).toBe(false);
    const js = 'javascript:alert(1)';
    expect(isAllowedSignInUrl(js, [js])).toBe(false);
    expect(isAllowedSignInUrl(42, ['42'])).toBe(false);
  });
});

describe('IPC sender check', () => {
  const origin = 'app://renderer';
  const ok = { frameUrl: 'app://renderer/index.html#/catalog', isMainFrame: true, fromOurWindow: true };
  it('trusts the main frame of our window on our origin', () => {
    expect(isTrustedSender(ok, origin)).toBe(true);
  });
  it('refuses other origins, subframes, other windows and destroyed frames', () => {
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, origin)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'app://renderer.evil/x' }, origin)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///index.html' }, origin)).toBe(false);
    expect(isTrustedSender({ ...ok, isMainFrame: false }, origin)).toBe(false);
    expect(isTrustedSender({ ...ok, fromOurWindow: false }, origin)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: null }, origin)).toBe(false);
  });
});
