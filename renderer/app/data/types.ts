import type { SessionUser } from '../../../shared/auth.js';
import type { DesktopSettingsView } from '../../../shared/desktopSettings.js';
import type { Health, IntegrationStatus } from '../../../shared/integrations/catalog.js';
import type { PartnerRef } from '../../../shared/localApi.js';

/**
 * The few shapes that exist only in the renderer: compositions of several local API answers
 * for one screen. Everything that crosses the local API (drafts, sync status, conflict
 * choices, save outcomes, health history, test results, topics) is inferred from
 * `shared/localApi.ts` and imported from there.
 */

/** The signed-in user as the desktop core holds it (the token itself never reaches the renderer). */
export interface Session {
  user: SessionUser;
  expiresAt: string;
}

/** Where the app runs: the Electron shell, browser mode, or the dev preview over canned data. */
export type AppShell = 'electron' | 'browser' | 'preview';

/** What the app shows before (or instead of) a signed-in session: `settings.get` plus `session.status`. */
export interface AppState extends Pick<DesktopSettingsView, 'serverUrl' | 'needsServerUrl' | 'serverUrlEditable' | 'theme'> {
  /**
   * The session ended (token expired or refused): who was signed in. Their cached data and
   * drafts stay on this computer and come back after signing in again.
   */
  endedSession: Pick<SessionUser, 'email' | 'displayName'> | null;
  /** Said at sign-in when the sign-in cannot be remembered securely (no OS keyring). */
  tokenStorageNote: string | null;
  shell: AppShell;
}

export interface AuditPageRequest {
  /** Opaque keyset cursor from the previous page; null for the newest page. */
  cursor: string | null;
  limit: number;
}

/** How an "Apply" went, counted from each draft's state after the core's sync attempt. */
export interface ApplySummary {
  applied: number;
  queued: number;
  conflicts: number;
  rejected: number;
}

export interface FleetCell {
  partnerId: number;
  integrationKey: string;
  status: IntegrationStatus;
  health: Health;
  errorMessage: string | null;
  /** The last 24 hours' uptime, by the server's one rule (as the detail shows it); null: no checks. */
  uptimePercent: number | null;
  /** In a maintenance window until then (issue 18 §4): alerts are held; null or absent: not. */
  maintenanceUntil?: string | null;
}

/** The dev partner's read-only view as a table: every partner × every integration. */
export interface FleetMatrix {
  partners: PartnerRef[];
  integrations: { key: string; name: string }[];
  cells: FleetCell[];
  /** When the matrix was read; cached offline like everything else. */
  asOf: string;
  /** False when the fleet was too large to read whole: `partners` are the first ones by id. */
  complete: boolean;
}
