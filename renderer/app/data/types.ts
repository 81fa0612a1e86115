import type { SessionUser } from '../../../shared/auth.js';
import type { ApiErrorBody } from '../../../shared/errors.js';
import type { Health, IntegrationStatus } from '../../../shared/integrations/catalog.js';
import type { SettingsView } from '../../../shared/integrations/fields.js';

/** The signed-in user as the desktop core holds it (the token itself never reaches the renderer). */
export interface Session {
  user: SessionUser;
  expiresAt: string;
}

/** Where the app runs: the Electron shell, browser mode, or the dev preview over fixtures. */
export type AppShell = 'electron' | 'browser' | 'preview';

/** What the app shows before (or instead of) a signed-in session. */
export interface AppState {
  /** The server the app talks to; null until chosen (first run of a packaged app). */
  serverUrl: string | null;
  /** First run: ask for the server address before anything else. */
  needsServerUrl: boolean;
  /** False while SERVER_URL fixes the address for this run. */
  serverUrlEditable: boolean;
  /**
   * The session ended (token expired or refused): who was signed in. Their cached data and
   * drafts stay on this computer and come back after signing in again.
   */
  endedSession: { email: string; displayName: string } | null;
  /** Said at sign-in when the sign-in cannot be remembered securely (no OS keyring). */
  tokenStorageNote: string | null;
  shell: AppShell;
}

export type ConnectionState = 'online' | 'offline' | 'connecting';

/** What the sync engine is doing right now; `pushing` carries progress for the progress bar. */
export type SyncActivity =
  | { phase: 'idle' }
  | { phase: 'pulling' }
  | { phase: 'pushing'; done: number; total: number };

export interface SyncStatus {
  connection: ConnectionState;
  /** When the last pull completed; null before the first one. */
  lastSyncedAt: string | null;
  activity: SyncActivity;
  /** Drafts not yet applied (any state but applied). */
  pendingCount: number;
  conflictCount: number;
  /** When on, saves made online also become drafts to review before applying. */
  reviewMode: boolean;
  /** The last sync failure, readable, or null. */
  lastError: string | null;
}

/** One health check result. */
export interface HealthSample {
  at: string;
  health: Health;
}

/**
 * An integration's recent checks and its uptime. The uptime is the server's, weighted by how long
 * each state lasted (not a share of checks: failing integrations are checked less often).
 */
export interface HealthHistoryData {
  samples: HealthSample[];
  /** Percent of the window the integration worked (Ok or Degraded); null before any check. */
  uptimePercent: number | null;
}

export interface AuditPageRequest {
  /** Opaque keyset cursor from the previous page; null for the newest page. */
  cursor: string | null;
  limit: number;
}

export interface ConnectionTestResult {
  health: Health;
  message: string | null;
  checkedAt: string;
}

export type DraftAction = 'configure' | 'reconfigure' | 'delete';

/**
 * - `draft`: saved locally, waiting for the admin to apply it
 * - `queued`: applied while offline (or waiting its turn); the core pushes it when it can
 * - `pushing`: being sent now
 * - `conflict`: the server changed since the draft's base; needs a choice per field
 * - `rejected`: the server refused it (see `error`); edit or discard
 */
export type DraftState = 'draft' | 'queued' | 'pushing' | 'conflict' | 'rejected';

export interface DraftConflict {
  /** Settings the draft started from, the server's settings now, and the server's version. */
  base: SettingsView | null;
  server: SettingsView | null;
  serverVersion: number | null;
}

/** A user-authored change held by the desktop core until it is applied. */
export interface Draft {
  id: string;
  integrationKey: string;
  integrationName: string;
  action: DraftAction;
  /**
   * The draft's settings as a view, like the server's: a secret typed into the draft stays in
   * the core and shows as `{isSet, last4}`. Null for a delete.
   */
  settings: SettingsView | null;
  /** Secret fields whose value the draft replaces (their diff reads "changed"). */
  replacedSecrets: string[];
  baseVersion: number | null;
  state: DraftState;
  error: ApiErrorBody | null;
  conflict: DraftConflict | null;
  createdAt: string;
  updatedAt: string;
}

/** For each conflicting field, which side wins. */
export type FieldChoice = 'server' | 'draft';

export interface ApplySummary {
  applied: number;
  queued: number;
  conflicts: number;
  rejected: number;
}

export interface PartnerRef {
  id: number;
  name: string;
  isDev: boolean;
}

export interface FleetCell {
  partnerId: number;
  integrationKey: string;
  status: IntegrationStatus;
  health: Health;
  errorMessage: string | null;
}

/** The dev partner's read-only view: every partner × every integration. */
export interface FleetMatrix {
  partners: PartnerRef[];
  integrations: { key: string; name: string }[];
  cells: FleetCell[];
  /** When the matrix was read; cached offline like everything else. */
  asOf: string;
  /** False when the fleet was too large to read whole: `partners` are the first ones by id. */
  complete: boolean;
}

/** What changed, so hooks refetch the right queries. */
export type DataTopic = 'session' | 'catalog' | 'drafts' | 'sync' | 'fleet';
