import type { MouseEvent, ReactNode } from 'react';

/**
 * A link that leaves the app. In Electron, where the window may not navigate or open windows,
 * the click asks the shell (preload `openExternal`, which only opens https origins the catalog
 * names) to open it in the system browser. In browser mode it is an ordinary new-tab link that
 * gives the opened page no handle back to the app.
 */
/**
 * Opens `url` outside the app: through the shell in Electron (which opens only allowed URLs), as
 * a new tab with no handle back in browser mode. A `noopener` window.open answers null whether or
 * not a popup blocker stepped in, so callers keep a link on screen for a blocked tab.
 */
export async function openInBrowser(url: string): Promise<void> {
  const bridge = typeof window === 'undefined' ? undefined : window.integrationCenter;
  if (bridge) {
    await bridge.openExternal(url).catch(() => false);
    return;
  }
  window.open(url, '_blank', 'noopener');
}

export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const bridge = typeof window === 'undefined' ? undefined : window.integrationCenter;
  const onClick = bridge
    ? (event: MouseEvent<HTMLAnchorElement>) => {
        event.preventDefault();
        void bridge.openExternal(href).catch(() => false);
      }
    : undefined;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" onClick={onClick}>
      {children} <span aria-hidden="true">↗</span>
      <span className="visually-hidden"> (opens in your browser)</span>
    </a>
  );
}
