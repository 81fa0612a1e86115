import type { AuditChange, AuditEntry, Health } from '../../../../shared/integrations/catalog.js';
import type { HealthSample } from '../types.js';

/** 48 half-hourly checks: mostly ok, with a few blips, so the sparkline has something to say. */
export function healthHistoryFixture(now: Date, pattern: 'healthy' | 'failing'): HealthSample[] {
  const samples: HealthSample[] = [];
  for (let i = 47; i >= 0; i--) {
    let health: Health = 'ok';
    if (pattern === 'healthy' && (i === 30 || i === 29)) health = 'degraded';
    if (pattern === 'healthy' && i === 12) health = 'error';
    if (pattern === 'failing' && i < 6) health = 'error';
    if (pattern === 'failing' && i === 20) health = 'degraded';
    samples.push({ at: new Date(now.getTime() - i * 30 * 60_000).toISOString(), health });
  }
  return samples;
}

/**
 * A long, deterministic audit trail (newest first) for pagination and virtualisation: a
 * configure, reconfigures with field changes (secrets only as "changed"), tests and health flips.
 */
export function auditFixture(now: Date, key: string, count: number, firstId: number, edits: AuditChange[], secretKey: string, failure: string | null): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const admin = { actor: 'Dana Whitfield', userId: 21 };
  for (let n = 0; n < count; n++) {
    const id = firstId + count - n;
    const createdAt = new Date(now.getTime() - (n * 97 + 7) * 60_000).toISOString();
    const base = { id, integrationKey: key, createdAt, actor: 'system', userId: null as number | null };
    if (n === count - 1) {
      entries.push({ ...base, ...admin, action: 'configured', details: { changes: [{ field: secretKey, before: null, after: 'set', secret: true }] } });
    } else if (n === 0 && failure) {
      entries.push({ ...base, action: 'health_changed', details: { fromStatus: 'Active', toStatus: 'Error', health: 'error', message: failure } });
    } else if (n % 7 === 1) {
      entries.push({ ...base, ...admin, action: 'reconfigured', details: { changes: edits } });
    } else if (n % 5 === 0 && n > 0) {
      entries.push({ ...base, action: 'health_changed', details: { fromStatus: 'Error', toStatus: 'Active', health: 'ok' } });
    } else if (n % 5 === 1) {
      entries.push({ ...base, action: 'health_changed', details: { fromStatus: 'Active', toStatus: 'Error', health: 'error', message: 'Timed out after 10 s waiting for the vendor API' } });
    } else {
      entries.push({ ...base, ...admin, action: 'tested', details: { health: 'ok', message: 'Connected; the API user can read what the integration uses.' } });
    }
  }
  return entries;
}
