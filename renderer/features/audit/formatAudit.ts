import type { AuditAction, AuditChange, AuditEntry } from '../../../shared/integrations/catalog.js';
import { healthLabel } from '../../components/StatusBadge.js';

export function actionLabel(action: AuditAction): string {
  switch (action) {
    case 'configured':
      return 'Configured';
    case 'reconfigured':
      return 'Settings changed';
    case 'deleted':
      return 'Configuration deleted';
    case 'tested':
      return 'Connection tested';
    case 'health_changed':
      return 'Health changed';
    case 'migrated':
      return 'Migrated from MSPBackups';
    case 'discovered':
      return 'Organizations discovered';
    case 'connected':
      return 'Connected (signed in at the vendor)';
    case 'disconnected':
      return 'Disconnected';
    case 'maintenance_scheduled':
      return 'Maintenance scheduled';
    case 'maintenance_ended':
      return 'Maintenance ended';
    case 'inbound_created':
      return 'Inbound webhook URL created';
    case 'inbound_rotated':
      return 'Inbound webhook secret rotated';
    case 'inbound_deleted':
      return 'Inbound webhook URL deleted';
    case 'inbound_replayed':
      return 'Inbound delivery replayed';
    case 'assistant_action':
      return 'Changed through an AI assistant';
  }
}

/** A value as the audit shows it; empty reads as "(empty)" so a cleared field is visible. */
export function auditValueText(value: AuditChange['before']): string {
  if (value === null || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  return value;
}

/**
 * One change as a sentence fragment. Secrets never carry values in the audit; they read
 * "changed" (or set/cleared) whatever the row holds.
 */
export function describeChange(change: AuditChange, labels: Record<string, string>): { label: string; text: string } {
  const label = labels[change.field] ?? change.field;
  if (change.secret) {
    const text = change.before === null ? 'set' : change.after === 'cleared' || change.after === null ? 'cleared' : 'changed';
    return { label, text };
  }
  return { label, text: `${auditValueText(change.before)} → ${auditValueText(change.after)}` };
}

/**
 * Who the row names: a person's email, or for the system what it was doing (a health row it
 * wrote is an automatic check; anything else, such as a data migration, is "the system").
 */
export function actorLabel(entry: Pick<AuditEntry, 'action' | 'actor' | 'actorKind'>): string {
  if (entry.actorKind === 'user') return `by ${entry.actor}`;
  return entry.action === 'health_changed' || entry.action === 'tested' ? 'automatic check' : 'by the system';
}

/**
 * The one-line summary under a row's title for rows without field changes. A "transition" to
 * the same status (rows written before no-op transitions were skipped) folds into its health.
 */
export function entrySummary(entry: AuditEntry): string | null {
  const { details } = entry;
  const parts: string[] = [];
  if (details.fromStatus && details.toStatus && details.fromStatus !== details.toStatus) parts.push(`${details.fromStatus} → ${details.toStatus}`);
  else if (details.health) parts.push(healthLabel(details.health));
  if (details.message) parts.push(details.message);
  if (details.draft) parts.push('applied from a draft');
  if (details.maintenance) parts.push(maintenanceSummary(details.maintenance));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** A maintenance row's line: when, for what, why (and how it ended). */
function maintenanceSummary(m: NonNullable<AuditEntry['details']['maintenance']>): string {
  const span = `${new Date(m.startsAt).toLocaleString()} – ${new Date(m.endsAt).toLocaleString()}`;
  const scope = m.partnerWide ? 'all integrations' : 'this integration';
  const how = m.outcome === 'cancelled' ? 'cancelled before it began · ' : m.outcome === 'ended' ? 'ended · ' : '';
  return `${how}${span} · ${scope} · ${m.reason}`;
}
