/**
 * The history of a desktop core's changes, and the check of it against what the database holds
 * (issue 20 §1): every change applied exactly once, or still pending, or reported as a conflict
 * or rejection — none lost, none applied twice — and one audit row per applied change.
 *
 * Every change carries a value no other change uses (a configuration's identifying field, a
 * mapping's organization id), so the audit trail says how often each one reached the server.
 */

/** What the core finally said about a change. `dropped`: a conflict the user resolved with "theirs". */
export type ChangeOutcome = 'applied' | 'conflict' | 'rejected' | 'dropped' | 'failed' | 'pending';

export interface ConfigChange {
  integrationKey: string;
  /** The identifying field and the value this change alone sets it to. */
  field: string;
  value: string;
  draftId: number;
  outcome: ChangeOutcome;
}

export interface MappingChange {
  externalOrgId: string;
  op: 'create' | 'delete';
  outcome: ChangeOutcome;
  /** Why a failure was reported (the error the core's call threw). */
  detail?: string;
}

export interface PushHistory {
  configChanges: ConfigChange[];
  mappingChanges: MappingChange[];
}

/** What the database holds at the end, read directly (not through the API under test). */
export interface ServerTruth {
  /** Every configuration audit row, oldest first: the identifying field's new value, or null when the row does not set it. */
  configAudit: { id: number; integrationKey: string; action: string; value: string | null }[];
  /** Each integration's identifying field now (absent: not configured). */
  current: Record<string, string | undefined>;
  mappingAudit: { action: 'mapping_created' | 'mapping_deleted'; externalOrgId: string }[];
  /** Organizations mapped now (of the integration the history edits). */
  mapped: ReadonlySet<string>;
}

const reported = new Set<ChangeOutcome>(['conflict', 'rejected', 'dropped', 'failed']);

function expectCount(what: string, outcome: ChangeOutcome, count: number, violations: string[]): void {
  if (outcome === 'applied' && count !== 1) violations.push(`${what} was reported applied but reached the server ${count} times (audit rows)`);
  if (reported.has(outcome) && count !== 0) violations.push(`${what} was reported ${outcome} but reached the server ${count} times (audit rows)`);
  if (outcome === 'pending' && count > 1) violations.push(`${what} is still pending but reached the server ${count} times (audit rows)`);
}

/** Each broken invariant in words; empty when the history and the database agree. */
export function checkPushHistory(history: PushHistory, truth: ServerTruth, label: string): string[] {
  const violations: string[] = [];
  const auditCounts = new Map<string, number>();
  const sent = new Set(history.configChanges.map((c) => `${c.integrationKey}=${c.value}`));
  for (const row of truth.configAudit) {
    if (row.value === null) {
      violations.push(`${label}: audit row ${row.id} (${row.integrationKey} ${row.action}) sets no value any change sent`);
      continue;
    }
    const key = `${row.integrationKey}=${row.value}`;
    auditCounts.set(key, (auditCounts.get(key) ?? 0) + 1);
    if (!sent.has(key)) violations.push(`${label}: audit row ${row.id} sets ${key}, which no change sent`);
  }
  for (const c of history.configChanges) {
    expectCount(`${label}: ${c.integrationKey} change to ${c.value} (draft ${c.draftId})`, c.outcome, auditCounts.get(`${c.integrationKey}=${c.value}`) ?? 0, violations);
  }
  // The configuration holds what its newest audit row says: an effect without its audit row (or
  // the other way round) shows here.
  for (const key of new Set(history.configChanges.map((c) => c.integrationKey))) {
    const last = truth.configAudit.filter((r) => r.integrationKey === key).at(-1);
    if (last?.value !== truth.current[key]) {
      violations.push(`${label}: ${key} holds ${String(truth.current[key])} but its newest audit row says ${String(last?.value)}`);
    }
  }

  const mappingCounts = new Map<string, number>();
  const edited = new Set(history.mappingChanges.map((m) => `${m.op}:${m.externalOrgId}`));
  for (const row of truth.mappingAudit) {
    const key = `${row.action === 'mapping_created' ? 'create' : 'delete'}:${row.externalOrgId}`;
    mappingCounts.set(key, (mappingCounts.get(key) ?? 0) + 1);
    if (!edited.has(key)) violations.push(`${label}: audit row ${row.action} of ${row.externalOrgId}, which no edit asked for`);
  }
  const applied = new Set(history.mappingChanges.filter((m) => m.outcome === 'applied').map((m) => `${m.op}:${m.externalOrgId}`));
  for (const m of history.mappingChanges) {
    expectCount(`${label}: mapping ${m.op} of ${m.externalOrgId}${m.detail ? ` (${m.detail})` : ''}`, m.outcome, mappingCounts.get(`${m.op}:${m.externalOrgId}`) ?? 0, violations);
  }
  for (const org of new Set(history.mappingChanges.map((m) => m.externalOrgId))) {
    const pending = history.mappingChanges.some((m) => m.externalOrgId === org && m.outcome === 'pending');
    const expected = applied.has(`create:${org}`) && !applied.has(`delete:${org}`);
    if (!pending && truth.mapped.has(org) !== expected) {
      violations.push(`${label}: ${org} is ${truth.mapped.has(org) ? '' : 'not '}mapped on the server, but the core's applied edits say it should ${expected ? '' : 'not '}be`);
    }
  }
  return violations;
}
