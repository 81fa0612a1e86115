import { VendorError } from '../http/errors.js';
import { commonHealth, worst } from '../http/healthMapping.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import type { LevelApi, LevelCall } from './client.js';
import { openLevelCall } from './session.js';
import { isReadWrite, keyAccessLabels } from './settings.js';

export const keyRejected = 'Level rejected the API key';

/** What the integration reads besides groups, as the partner would name it. */
export const levelReads = { devices: 'devices', alerts: 'alerts', automations: 'automations' } as const;
type Read = keyof typeof levelReads;

const refused = (error: unknown) => error instanceof VendorError && (error.kind === 'unauthorized' || error.kind === 'forbidden');

/** One read after the key was accepted: a refusal is a read the key may not make. */
async function probe(api: LevelApi, call: LevelCall, name: Read): Promise<HealthResult | { missing: string }> {
  try {
    await (name === 'devices' ? api.devicesPage(call, 1) : name === 'alerts' ? api.alertsPage(call, 1) : api.automationsPage(call, 1));
    return Health.ok();
  } catch (error) {
    if (refused(error)) return { missing: levelReads[name] };
    return commonHealth(error, 'Level', call.log);
  }
}

/**
 * The Level health check: `GET /v2/groups?limit=1` proves the key (vendor-apis.md §6 [M: ALGA
 * testConnection]); a 401 there, `{"error":"Access denied"}` [H: LVL-OAS], is a key Level does
 * not know (a "Bearer " prefix gets the same). Then one item each of devices, alerts and
 * automations proves the reads the actions use: one refused is Degraded, naming it. Read-only:
 * whether the key may write cannot be checked without writing, so the message says what the
 * partner declared. The key is never logged.
 */
export function levelHealthCheck(options: { api: LevelApi; checkTimeoutMs: number }) {
  const { api, checkTimeoutMs } = options;
  return async (ctx: PluginContext): Promise<HealthResult> => {
    const opened = openLevelCall(ctx, checkTimeoutMs);
    if ('problem' in opened) return Health.error(opened.problem);
    const { call } = opened;
    let groups: number;
    try {
      groups = (await api.groupsPage(call, 1)).items.length;
    } catch (error) {
      if (error instanceof VendorError && error.kind === 'unauthorized') {
        const said = error.details.vendorMessage;
        return Health.error(`${keyRejected}${said ? ` (${said})` : ''}: check the key under Settings › API keys in Level`);
      }
      if (error instanceof VendorError && error.kind === 'forbidden') return Health.degraded('The Level API key may not read groups (HTTP 403): organizations cannot be discovered');
      return commonHealth(error, 'Level', call.log);
    }
    const outcomes = await Promise.all((Object.keys(levelReads) as Read[]).map((name) => probe(api, call, name)));
    const failed = worst(outcomes.filter((o): o is HealthResult => 'status' in o));
    if (failed) return failed;
    const missing = outcomes.flatMap((o) => ('missing' in o ? [o.missing] : []));
    if (missing.length) {
      return Health.degraded(`The Level API key may not read ${missing.join(' or ')} (Level refused ${missing.map((m) => `"${m}"`).join(' and ')}); check the key's access in Level under Settings › API keys`);
    }
    const access = isReadWrite(ctx.settings.key_access) ? keyAccessLabels.read_write : keyAccessLabels.read_only;
    return Health.ok(`Connected to Level: groups${groups ? '' : ' (none yet)'}, devices, alerts and automations are readable; key access set to ${access}`);
  };
}
