import { describe, expect, it } from 'vitest';
import { runQuick } from './lib/quick.js';
import { pgRestart } from './pgRestart.js';
import { checkAlertChains, checkCheckSpacing, type AlertRow } from './pgRestartChecks.js';

describe('pg-restart', () => {
  it('stops PostgreSQL (fast, then immediate) under load: 503s with Retry-After, no hang, everything resumes once', async () => {
    const report = await runQuick(pgRestart);
    expect(report.runs).toBe(2);
  }, 90_000);

  // The checkers fed doctored histories: each must see what it exists to catch.
  it('sees a due slot checked twice', () => {
    const at = (ms: number) => ({ partnerId: 1, integrationKey: 'testvendor', checkedAt: new Date(ms) });
    expect(checkCheckSpacing([at(0), at(2_050), at(4_100)], 2_000)).toEqual([]);
    expect(checkCheckSpacing([at(0), at(2_050), at(2_300)], 2_000)).toEqual([expect.stringMatching(/two scheduled checks 250 ms apart/)]);
  });

  it('sees an alert raised twice for one transition, or left undelivered, or delivered twice', () => {
    const alert = (id: number, fromStatus: string, toStatus: string, extra: Partial<AlertRow> = {}): AlertRow => ({
      id, partnerId: 1, integrationKey: 'testvendor', fromStatus, toStatus, deliveryState: 'delivered', deliveredAttempts: 1, ...extra,
    });
    expect(checkAlertChains([alert(1, 'Active', 'Error'), alert(2, 'Error', 'Active')])).toEqual([]);
    expect(checkAlertChains([alert(1, 'Active', 'Error'), alert(2, 'Active', 'Error')])).toEqual([expect.stringMatching(/alerted twice/)]);
    expect(checkAlertChains([alert(1, 'Active', 'Error', { deliveryState: 'pending' })])).toEqual([expect.stringMatching(/delivery pending/)]);
    expect(checkAlertChains([alert(1, 'Active', 'Error', { deliveredAttempts: 2 })])).toEqual([expect.stringMatching(/delivered 2 times/)]);
  });
});
