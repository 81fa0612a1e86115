import { z } from 'zod';

/**
 * Desktop settings the user chooses (the server address at first run and in settings), shared by
 * the desktop core, which validates and stores them, and the renderer's settings form.
 */

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a URL may carry the app's traffic: https anywhere, plain http only to this computer
 * (a local server during development). Credentials in the URL are refused: they would be
 * stored in the settings file and shown in the UI.
 */
export function isHttpsOrLoopback(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && loopbackHosts.has(url.hostname);
}

export const serverUrlSchema = z
  .string()
  .trim()
  .min(1, 'Enter the server address')
  .max(2048)
  .refine((v) => URL.canParse(v), 'Enter a full address, such as https://integrations.example.com')
  .refine(isHttpsOrLoopback, 'Use an https address (plain http only for 127.0.0.1 or localhost, without a user name or password)')
  .refine((v) => !URL.canParse(v) || (!new URL(v).search && !new URL(v).hash), 'Leave out the ?query and #fragment');

/** How the app looks: follow the operating system, or always light or dark. */
export const themes = ['system', 'light', 'dark'] as const;
export const themeSchema = z.enum(themes);
export type Theme = z.infer<typeof themeSchema>;

/** The settings file (`settings.json` in the desktop data directory). */
export const desktopSettingsSchema = z.object({
  serverUrl: serverUrlSchema.nullable().default(null),
  // A value this version does not know (a newer app wrote it) falls back alone, keeping the address.
  theme: themeSchema.default('system').catch('system'),
});
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;

export const setServerUrlInputSchema = z.object({ serverUrl: serverUrlSchema });
export const setThemeInputSchema = z.object({ theme: themeSchema });
export type SetServerUrlInput = z.input<typeof setServerUrlInputSchema>;

/** Where the server address in use came from. `env`: SERVER_URL for this run (not changeable). */
export const serverUrlSources = ['env', 'settings', 'default', 'unset'] as const;

export const desktopSettingsViewSchema = z.object({
  /** The server address in use; null until the user chooses one (first run). */
  serverUrl: z.string().nullable(),
  source: z.enum(serverUrlSources),
  /** First run: no server address yet, the UI asks for one before the login screen. */
  needsServerUrl: z.boolean(),
  /** Whether `settings.setServerUrl` can change it now (not while SERVER_URL overrides it). */
  serverUrlEditable: z.boolean(),
  /** Saved on this computer for every user of it; applies at once, signed in or not. */
  theme: themeSchema,
});
export type DesktopSettingsView = z.infer<typeof desktopSettingsViewSchema>;
