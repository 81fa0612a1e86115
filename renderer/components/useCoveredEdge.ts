import { useEffect, type RefObject } from 'react';

/**
 * Publishes how much of the viewport an overlay covers at one edge (the sticky header at the top,
 * with the toasts inside it) as a CSS custom property on <html>, kept current with a
 * ResizeObserver. base.css turns these into scroll-padding, so whatever the browser scrolls into
 * view (a control reached with Tab or Shift+Tab, an anchor) lands clear of the overlay instead
 * of under it (WCAG 2.4.11, focus not obscured). Measured, not a constant: the header grows with
 * the partner bar, the offline notice and each toast. The custom property
 * is set through the CSSOM, which the CSP (no 'unsafe-inline') allows.
 */
export function useCoveredEdge(ref: RefObject<HTMLElement | null>, edge: 'top' | 'bottom', property: `--${string}`): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const update = () => {
      const box = el.getBoundingClientRect();
      // Stuck at the top: its height. Fixed above the bottom edge: its height plus the gap below
      // it. Nothing shown covers nothing.
      const covered = box.height === 0 ? 0 : edge === 'top' ? box.height : box.height + Math.max(0, window.innerHeight - box.bottom);
      root.style.setProperty(property, `${Math.round(covered)}px`);
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty(property);
    };
  }, [ref, edge, property]);
}
