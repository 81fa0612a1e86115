import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isTrustedSender } from './policy.js';

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
