import { createHash } from 'node:crypto';
import { baseSecurityHeaders } from '../host/securityHeaders.js';

/**
 * The small page the loopback listener answers the browser with. Self-contained (no script, no
 * external resource): the CSP allows exactly its one inline style, by hash, and nothing else.
 */
const style =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f9;color:#1d2330}' +
  'main{max-width:28rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px #0002}h1{font-size:1.25rem;margin:0 0 .5rem}p{margin:0}';
const styleHash = createHash('sha256').update(style).digest('base64');

export const signInPageCsp = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page and its headers; `Connection: close` so the one-shot listener can shut right after. */
export function signInPage(title: string, body: string): { headers: Record<string, string>; html: string } {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Integration Center</title><style>${style}</style></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></main></body></html>`;
  return {
    html,
    headers: {
      ...baseSecurityHeaders,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': signInPageCsp,
      'cache-control': 'no-store',
      connection: 'close',
    },
  };
}

export const pages = {
  signedIn: () => signInPage('Signed in', 'Signed in — you can close this tab and return to Integration Center.'),
  denied: (vendor: string) => signInPage('Not signed in', `${vendor} did not grant access. Return to Integration Center and press Connect to try again.`),
  refused: (button = 'Connect') => signInPage('Not signed in', `This sign-in was not started by Integration Center, or has ended. Return to Integration Center and press ${button} to try again.`),
  consentReturned: (vendor: string) => signInPage('Consent given', `Consent given — you can close this tab; Integration Center is checking it with ${vendor}.`),
  consentDenied: (vendor: string) => signInPage('No consent', `${vendor} did not record a consent. Return to Integration Center and press Grant consent to try again.`),
  notFound: () => signInPage('Not found', 'Nothing is served here.'),
};
