import { useState } from 'react';
import { themes, type Theme } from '../../../shared/desktopSettings.js';
import { useAppState, useSetTheme } from '../../app/data/hooks/useSession.js';
import { useToast } from '../../components/Toast.js';

const labels: Record<Theme, { label: string; help: string }> = {
  system: { label: 'System', help: 'Follow this computer’s light or dark setting' },
  light: { label: 'Light', help: 'Always light' },
  dark: { label: 'Dark', help: 'Always dark' },
};

/**
 * System, light or dark: native radio buttons (arrow keys move the choice). The page follows the
 * click at once; the choice is saved in this computer's desktop settings, so it survives a reload
 * and a restart, and a failure to save puts the previous one back with a toast saying why.
 */
export function ThemeChoice() {
  const app = useAppState();
  const setTheme = useSetTheme();
  const toast = useToast();
  const [clicked, setClicked] = useState<Theme | null>(null);
  const current = clicked ?? app.data?.theme ?? 'system';
  return (
    <fieldset className="theme-choice" disabled={!app.data}>
      <legend className="visually-hidden">Theme</legend>
      {themes.map((theme) => (
        <label key={theme} className={`theme-option${current === theme ? ' theme-option-selected' : ''}`}>
          <input
            type="radio"
            name="theme"
            value={theme}
            checked={current === theme}
            aria-describedby={`theme-${theme}-help`}
            onChange={() => {
              setClicked(theme);
              setTheme.mutate(theme, {
                onError: (error) => toast({ tone: 'error', title: 'Couldn’t change the theme', body: error.message }),
                // Only the last choice clears it: an earlier one settling must not show its theme.
                onSettled: () => setClicked((last) => (last === theme ? null : last)),
              });
            }}
          />
          <span className="theme-option-text">
            <span className="theme-option-label">{labels[theme].label}</span>
            <span id={`theme-${theme}-help`} className="muted">
              {labels[theme].help}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
