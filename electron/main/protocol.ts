import { protocol } from 'electron';
import { appHost, appScheme } from '../../shared/ipc.js';
import { rendererCsp, baseSecurityHeaders } from '../core/host/securityHeaders.js';
import { loadStatic } from '../core/host/staticFiles.js';

/** Must run before `app.whenReady()`: app:// behaves like https (secure, standard origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves the built renderer at app://renderer/… from `rendererDir`, with the same CSP as browser
 * mode. Any other host of the scheme, and any path outside the directory, is a 404.
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === appHost ? await loadStatic(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    const headers = new Headers({ ...baseSecurityHeaders, 'content-type': file.contentType });
    if (file.isHtml) headers.set('content-security-policy', rendererCsp);
    return new Response(new Uint8Array(file.body), { status: 200, headers });
  });
}
