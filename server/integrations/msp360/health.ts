import { VendorError } from '../http/errors.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import type { Msp360Api } from './client.js';
import type { Msp360Session } from './session.js';

/** What the integration reads, as the partner would name it. */
const readable = { companies: 'Companies', users: 'Users' } as const;

/**
 * The MSP360 health check: the login proves the API credentials, then Companies and Users prove
 * the reads the integration uses. MSP360 documents no per-resource permissions; a 403 on a read
 * is worded as access refused to that resource (Degraded), since the login itself worked.
 */
export function msp360HealthCheck(options: { api: Msp360Api; open(ctx: PluginContext): Msp360Session | { invalid: HealthResult } }) {
  const { api } = options;
  return async (ctx: PluginContext): Promise<HealthResult> => {
    const session = options.open(ctx);
    if ('invalid' in session) return session.invalid;
    const { call } = session;
    const missing: string[] = [];
    const counts: Partial<Record<keyof typeof readable, number>> = {};
    for (const name of ['companies', 'users'] as const) {
      try {
        counts[name] = (await session.read((t) => (name === 'companies' ? api.companies(call, t) : api.users(call, t)))).length;
      } catch (error) {
        if (error instanceof VendorError && error.kind === 'forbidden') {
          missing.push(readable[name]);
          continue;
        }
        return session.failure(error);
      }
    }
    if (missing.length) {
      return Health.degraded(`The MSP360 API login may not read ${missing.join(' or ')} (access to ${missing.map((m) => `"${m}"`).join(' and ')} was refused)`);
    }
    const companies = counts.companies ?? 0;
    const users = counts.users ?? 0;
    return Health.ok(`Signed in to MSP360: ${companies} ${companies === 1 ? 'company' : 'companies'} and ${users} user${users === 1 ? '' : 's'} readable`);
  };
}
