import type { MouseEvent, ReactNode } from 'react';

/**
 * A link that leaves the app. In Electron, where the window may not navigate or open windows,
 * the click asks the shell (preload `openExternal`, which only opens https origins the catalog
 * names) to open it in the system browser. In browser mode it is an ordinary new-tab link that
 * gives the opened page no handle back to the app.
 */
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
