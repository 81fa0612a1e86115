import type { FieldSpec } from '../../../shared/integrations/fields.js';
import type { Config } from '../../config.js';

/**
 * NinjaOne settings (vendor-apis.md §3). The partner picks the instance their NinjaOne account
 * lives on (never a free host: the client secret goes to that host), the app's client id and
 * secret, the scopes the app was granted, and which kind of app it is (the grant).
 */

/** The regional instances [M: NJ-PS, N-NJ, ALGA]; `fed` appears in two clients only and is left out. */
export const ninjaInstances = {
  app: { label: 'US (app.ninjarmm.com)', host: 'https://app.ninjarmm.com' },
  us2: { label: 'US 2 (us2.ninjarmm.com)', host: 'https://us2.ninjarmm.com' },
  eu: { label: 'Europe (eu.ninjarmm.com)', host: 'https://eu.ninjarmm.com' },
  ca: { label: 'Canada (ca.ninjarmm.com)', host: 'https://ca.ninjarmm.com' },
  oc: { label: 'Oceania (oc.ninjarmm.com)', host: 'https://oc.ninjarmm.com' },
} as const;
export type NinjaInstance = keyof typeof ninjaInstances;

/** `monitoring` (read), `management` (write, incl. running scripts), `control` (remote control) [M: NinjaOne's OAuth docs]. */
export const ninjaScopes = ['monitoring', 'management', 'control'] as const;
export type NinjaScope = (typeof ninjaScopes)[number];
export const defaultScopes: NinjaScope[] = ['monitoring'];

export const ninjaGrants = { clientCredentials: 'client_credentials', authorizationCode: 'authorization_code' } as const;
export type NinjaGrant = (typeof ninjaGrants)[keyof typeof ninjaGrants];

export const ninjaoneFields: FieldSpec[] = [
  {
    key: 'instance',
    label: 'Instance',
    kind: 'Select',
    required: true,
    help: 'Where your NinjaOne account lives: the address you sign in at (app.ninjarmm.com is the US instance).',
    options: Object.entries(ninjaInstances).map(([value, i]) => ({ value, label: i.label })),
  },
  {
    key: 'client_id',
    label: 'Client ID',
    kind: 'Text',
    required: true,
    maxLength: 256,
    help: 'The Client ID of the app in NinjaOne › Administration › Apps › API › Client App IDs.',
    pattern: { regex: '^[\\x21-\\x7e]+$', message: 'The client ID is a single word without spaces' },
  },
  {
    key: 'client_secret',
    label: 'Client secret',
    kind: 'Secret',
    required: true,
    maxLength: 512,
    help: 'The Client Secret NinjaOne showed once when the app was created.',
    pattern: { regex: '^[\\x21-\\x7e]+$', message: 'The client secret is a single word without spaces' },
  },
  {
    key: 'scopes',
    label: 'Scopes',
    kind: 'Text',
    required: false,
    maxLength: 100,
    placeholder: 'monitoring',
    help: 'Exactly the scopes the NinjaOne app was granted, separated by spaces: monitoring (read), management (needed to run scripts), control. Empty: monitoring. NinjaOne refuses a token request asking for more.',
  },
  {
    key: 'grant',
    label: 'App type',
    kind: 'Select',
    required: false,
    help: 'How the NinjaOne app signs in. API Services apps need nothing more; a regular web app asks a technician to sign in once (Connect).',
    options: [
      { value: ninjaGrants.clientCredentials, label: 'API Services (machine-to-machine) app' },
      { value: ninjaGrants.authorizationCode, label: 'Regular web app: sign in as a technician' },
    ],
  },
];

export function instanceProblem(value: unknown): string | null {
  if (typeof value === 'string' && Object.hasOwn(ninjaInstances, value)) return null;
  return `Choose your NinjaOne instance: ${Object.keys(ninjaInstances).join(', ')}`;
}

export function clientIdProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'Client ID is required';
  const text = value.trim();
  if (text.length > 256) return 'The client ID is at most 256 characters';
  if (!/^[\x21-\x7e]+$/.test(text)) return 'The client ID is a single word without spaces';
  return null;
}

/** Never echoes the secret. */
export function clientSecretProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'Client secret is required';
  const text = value.trim();
  if (text.length > 512) return 'The client secret is at most 512 characters';
  if (!/^[\x21-\x7e]+$/.test(text)) return 'The client secret is a single word without spaces';
  return null;
}

export function grantProblem(value: unknown): string | null {
  if (value === undefined || value === '' || value === ninjaGrants.clientCredentials || value === ninjaGrants.authorizationCode) return null;
  return 'Choose the app type: API Services (machine-to-machine) or a regular web app';
}

/** The grant the settings choose; client credentials when none is stored. */
export function grantOf(settings: Record<string, unknown>): NinjaGrant {
  return settings.grant === ninjaGrants.authorizationCode ? ninjaGrants.authorizationCode : ninjaGrants.clientCredentials;
}

const scopeWords = (value: unknown) => (typeof value === 'string' ? value.trim().split(/[\s,]+/).filter(Boolean) : []);

/**
 * Why the scopes cannot be requested; null when they can. `offline_access` is refused for client
 * credentials (NinjaOne's EU server answers 400 [M: SQUP PR #51]) and is added by us for a web
 * app, so it is never typed; unknown words are refused rather than sent to get `invalid_scope`.
 */
export function scopesProblem(value: unknown, grant: unknown = ninjaGrants.clientCredentials): string | null {
  if (value !== undefined && value !== null && typeof value !== 'string') return 'Scopes are words separated by spaces';
  const words = scopeWords(value);
  if (words.includes('offline_access')) {
    return grant === ninjaGrants.authorizationCode
      ? 'Leave out offline_access: it is requested automatically for a regular web app'
      : 'Remove offline_access: NinjaOne refuses it for API Services (client credentials) apps, which get no refresh token';
  }
  const unknown = words.filter((w) => !(ninjaScopes as readonly string[]).includes(w));
  if (unknown.length) return `Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `"${w.slice(0, 30)}"`).join(', ')}: use ${ninjaScopes.join(', ')}`;
  return null;
}

/** The scopes the settings name, deduplicated in NinjaOne's order; `monitoring` when none. */
export function readScopes(value: unknown): NinjaScope[] {
  const words = new Set(scopeWords(value));
  const chosen = ninjaScopes.filter((s) => words.has(s));
  return chosen.length ? chosen : [...defaultScopes];
}

/** Per-field problems, as `validate()` returns them. */
export function settingsProblems(settings: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string | null> = {
    instance: instanceProblem(settings.instance),
    client_id: clientIdProblem(settings.client_id),
    client_secret: clientSecretProblem(settings.client_secret),
    scopes: scopesProblem(settings.scopes, settings.grant),
    grant: grantProblem(settings.grant),
  };
  return Object.fromEntries(Object.entries(problems).filter((e): e is [string, string] => e[1] !== null));
}

export interface NinjaSettings {
  instance: NinjaInstance;
  clientId: string;
  clientSecret: string;
  scopes: NinjaScope[];
  grant: NinjaGrant;
}

/** The settings a call needs, checked; the first problem otherwise (worded for the partner). */
export function readNinjaSettings(settings: Record<string, unknown>): NinjaSettings | { problem: string } {
  const problem = Object.values(settingsProblems(settings))[0];
  if (problem) return { problem };
  return {
    instance: settings.instance as NinjaInstance,
    clientId: String(settings.client_id).trim(),
    clientSecret: String(settings.client_secret).trim(),
    scopes: readScopes(settings.scopes),
    grant: grantOf(settings),
  };
}

/**
 * The host calls go to: the instance's, or the emulator's when VENDOR_EMULATORS points NinjaOne
 * at a fake (config.emulators.ninjaone; never honoured otherwise, server/config.ts).
 */
export function ninjaHost(instance: NinjaInstance, config: Pick<Config, 'emulators'>): URL {
  const url = new URL(config.emulators?.ninjaone ?? ninjaInstances[instance].host);
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

/** `host` + a path such as `/ws/oauth/token` or `/v2/organizations`, + query. */
export function ninjaUrl(host: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(host);
  url.pathname = `${host.pathname.replace(/\/+$/, '')}${path}`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}
