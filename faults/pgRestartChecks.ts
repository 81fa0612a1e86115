/** One recorded scheduled health check (integration_health_history, source 'scheduled'). */
export interface CheckRow {
  partnerId: number;
  integrationKey: string;
  checkedAt: Date;
}

/** One alert with how many of its delivery attempts the receiver acknowledged. */
export interface AlertRow {
  id: number;
  partnerId: number;
  integrationKey: string;
  fromStatus: string;
  toStatus: string;
  deliveryState: string;
  deliveredAttempts: number;
}

/**
 * How close two scheduled checks of one integration may come: the scheduler places the next one
 * a full interval (plus up to 5 % jitter) after the last (server/services/health/timing.ts), and
 * a check whose recording failed is not recorded. So two recorded checks within 80 % of the
 * interval mean one due slot was checked twice (the 20 % absorbs how long a check takes to
 * record, which moves checked_at but not the schedule).
 */
export const minCheckSpacing = 0.8;

/** Violations: two scheduled checks of one integration closer than one due slot allows (rows sorted by integration, then time). */
export function checkCheckSpacing(rows: readonly CheckRow[], intervalMs: number): string[] {
  const violations: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1] as CheckRow;
    const row = rows[i] as CheckRow;
    if (prev.partnerId !== row.partnerId || prev.integrationKey !== row.integrationKey) continue;
    const gap = row.checkedAt.getTime() - prev.checkedAt.getTime();
    if (gap < minCheckSpacing * intervalMs) {
      violations.push(`partner ${row.partnerId} ${row.integrationKey}: two scheduled checks ${gap} ms apart (interval ${intervalMs} ms) at ${row.checkedAt.toISOString()}: one due slot checked twice`);
    }
  }
  return violations;
}

/**
 * Violations in the alerts of each integration (rows sorted by integration, then id): each alert
 * is one status transition, so each starts where the previous one ended; an alert raised twice
 * for one transition breaks that chain. Each alert is delivered, and acknowledged once.
 */
export function checkAlertChains(rows: readonly AlertRow[]): string[] {
  const violations: string[] = [];
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    const name = `partner ${row.partnerId} ${row.integrationKey} alert ${row.id}`;
    if (row.fromStatus === row.toStatus) violations.push(`${name}: an alert for no transition (${row.fromStatus} → ${row.toStatus})`);
    if (prev && prev.partnerId === row.partnerId && prev.integrationKey === row.integrationKey && prev.toStatus !== row.fromStatus) {
      violations.push(`${name}: ${row.fromStatus} → ${row.toStatus} after alert ${prev.id} already went ${prev.fromStatus} → ${prev.toStatus}: a transition alerted twice or one missed`);
    }
    if (row.deliveryState !== 'delivered') violations.push(`${name}: delivery ${row.deliveryState}, not delivered`);
    if (row.deliveredAttempts > 1) violations.push(`${name}: delivered ${row.deliveredAttempts} times`);
  });
  return violations;
}
