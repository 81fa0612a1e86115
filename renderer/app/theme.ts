import { useEffect } from 'react';
import type { Theme } from '../../shared/desktopSettings.js';

/**
 * Puts the saved theme on the root element: `data-theme` sets `color-scheme` (tokens.css), which
 * every colour token follows through light-dark(). "system" removes it, so the operating system's
 * choice applies again, and keeps following it when it changes.
 */
export function useThemeAttribute(theme: Theme | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (!theme || theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
