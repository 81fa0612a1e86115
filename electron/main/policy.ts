/**
 * Decisions the Electron shell makes, kept free of Electron imports so they are unit-tested in
 * plain Node (the Electron binary is not available everywhere the tests run).
 */

/** Only https links whose origin the core allows (catalog docs and links) go to the system browser. */
export function isAllowedExternalUrl(raw: unknown, allowedOrigins: readonly string[]): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  return allowedOrigins.includes(url.origin);
}

/**
 * A sign-in page: exactly one of the authorize URLs the core has waiting (`signInUrls`), never
 * "anything on that origin". https, except a loopback authorize URL (the demo's and tests' fake
 * vendors listen on http://127.0.0.1); no credentials in the URL.
 */
export function isAllowedSignInUrl(raw: unknown, signInUrls: readonly string[]): boolean {
  if (typeof raw !== 'string' || raw.length > 4096 || !signInUrls.includes(raw)) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost');
}

/**
 * Whether an IPC call comes from our renderer: the sending frame must be the main frame of our
 * window and its document must be on our origin (app://renderer, or the dev server in dev).
 * A frame navigated elsewhere, a subframe or a destroyed frame (null URL) is refused.
 */
export function isTrustedSender(sender: { frameUrl: string | null; isMainFrame: boolean; fromOurWindow: boolean }, trustedOrigin: string): boolean {
  if (!sender.fromOurWindow || !sender.isMainFrame || !sender.frameUrl) return false;
  try {
    const url = new URL(sender.frameUrl);
    // `origin` is "null" for non-special schemes, so compare scheme and host for app://.
    return `${url.protocol}//${url.host}` === trustedOrigin;
  } catch {
    return false;
  }
}
