import type { SessionUser } from '../../../../shared/auth.js';
import type { Health, IntegrationState, IntegrationStatus } from '../../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';

/** A stored configuration in the fake: settings in clear (fake values) and its state. */
export interface StoredConfig {
  settings: SettingsInput;
  state: IntegrationState;
}

export interface PartnerFixture {
  id: number;
  name: string;
  isDev: boolean;
  configs: Record<string, StoredConfig>;
}

/** Every fixture user signs in with this password. */
export const fixturePassword = 'correct horse battery';

export const ACME_ID = 2;
export const ACG_ID = 1;

export const fixtureUsers: SessionUser[] = [
  { id: 21, email: 'admin@acme.test', displayName: 'Dana Whitfield', role: 'partner_admin', partnerId: ACME_ID, partnerName: 'Acme IT Services', isDev: false },
  { id: 22, email: 'tech@acme.test', displayName: 'Sam Ortega', role: 'partner_user', partnerId: ACME_ID, partnerName: 'Acme IT Services', isDev: false },
  { id: 11, email: 'ops@acg.test', displayName: 'Riley Chen', role: 'partner_admin', partnerId: ACG_ID, partnerName: 'ACG', isDev: true },
];

const iso = (now: Date, minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();

function state(now: Date, status: IntegrationStatus, health: Health, extra: Partial<IntegrationState> = {}): IntegrationState {
  const checked = status === 'Active' || status === 'Error';
  return {
    status,
    health,
    lastHealthCheck: checked ? iso(now, 4) : null,
    lastOkAt: status === 'Active' ? iso(now, 4) : null,
    consecutiveFailures: status === 'Error' ? 3 : 0,
    errorMessage: null,
    version: 1,
    updatedAt: iso(now, 60 * 24 * 3),
    ...extra,
  };
}

/** The fixture world: Acme (the demo partner), ACG (the dev partner) and two more for the fleet. */
export function partnerFixtures(now: Date): PartnerFixture[] {
  return [
    {
      id: ACME_ID,
      name: 'Acme IT Services',
      isDev: false,
      configs: {
        syncro: {
          settings: { subdomain: 'acme', api_token: 'stk_live_7d1e44a09b2c', ticket_status: 'In Progress', sync_assets: false },
          state: state(now, 'Active', 'ok', { version: 7 }),
        },
        msp360: {
          settings: { api_login: 'acme-api', api_password: 'mbs-pass-41c8', api_url: '' },
          state: state(now, 'Error', 'error', {
            version: 3,
            lastOkAt: iso(now, 60 * 26),
            errorMessage: 'MSP360 refused the API login (401 Unauthorized). Check the API login and password in MSPBackups › Settings › API.',
          }),
        },
        huntress: {
          settings: { api_key: 'hk_acme_01', api_secret: 'hs-secret-5521', include_low: false },
          state: state(now, 'Configured', 'unknown', { version: 2 }),
        },
      },
    },
    {
      id: ACG_ID,
      name: 'ACG',
      isDev: true,
      configs: {
        syncro: { settings: { subdomain: 'acg', api_token: 'stk_live_acg_0042', ticket_status: 'New', sync_assets: true }, state: state(now, 'Active', 'ok') },
      },
    },
    {
      id: 3,
      name: 'Northwind MSP',
      isDev: false,
      configs: {
        syncro: { settings: { subdomain: 'northwind', api_token: 'stk_nw_9911', ticket_status: 'New', sync_assets: true }, state: state(now, 'Active', 'degraded', { errorMessage: 'Syncro answered 429 (rate limited); retried.' }) },
        msp360: { settings: { api_login: 'nw-api', api_password: 'nw-pass-7780', api_url: '' }, state: state(now, 'Active', 'ok') },
      },
    },
    {
      id: 4,
      name: 'Contoso Managed',
      isDev: false,
      configs: {
        msp360: { settings: { api_login: 'contoso', api_password: 'cm-pass-0199', api_url: '' }, state: state(now, 'Error', 'error', { errorMessage: 'Timed out after 10 s waiting for api.mspbackups.com.' }) },
        tactical: { settings: { api_url: 'https://rmm.contoso.example', api_key: 'trmm-key-3344' }, state: state(now, 'Configured', 'unknown') },
      },
    },
  ];
}
