import { describe, expect, it } from 'vitest';
import { planStatusName } from '../client.js';
import { parseMonitoringTime, planRun, summarizeBackups, summaryRange } from './summary.js';

describe('reading Monitoring rows', () => {
  it("takes Status as MSP360's enum index or its name, either case, and anything else as Unknown or as given", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(planStatusName)).toEqual(['Success', 'Overdue', 'Error', 'Running', 'Unknown', 'Interrupted', 'UnexpectedlyClosed', 'Warning']);
    expect(['error', 'SUCCESS', '2', ' Warning '].map(planStatusName)).toEqual(['Error', 'Success', 'Error', 'Warning']);
    expect([99, null, undefined, '', 'Paused'].map(planStatusName)).toEqual(['Unknown', 'Unknown', 'Unknown', 'Unknown', 'Paused']);
  });

  it('reads a zone-less .NET time as UTC and a zoned one as written', () => {
    expect(parseMonitoringTime('2026-12-05T22:00:00')).toBe(Date.parse('2026-12-05T22:00:00Z'));
    expect(parseMonitoringTime('2026-12-05T22:00:00+02:00')).toBe(Date.parse('2026-12-05T20:00:00Z'));
    expect([parseMonitoringTime('soon'), parseMonitoringTime(null)]).toEqual([null, null]);
  });

  it('keeps a row without id or name as a plan rather than dropping it', () => {
    expect(planRun({ ComputerName: 'PC-1', Status: 2 })).toMatchObject({ planId: 'PC-1/Unnamed plan', planName: 'Unnamed plan', status: 'Error', dataCopiedBytes: null });
  });
});

describe('the summary range', () => {
  it('defaults to today and the six days before (UTC), and fills a missing end', () => {
    const now = new Date('2026-12-06T01:30:00Z');
    expect(summaryRange({}, now)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(summaryRange({ to: '2026-03-01' }, now)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(summaryRange({ from: '2026-12-01' }, now)).toEqual({ from: '2026-12-01', to: '2026-12-06' });
  });

  it('counts a run on the last day up to midnight and none the day after', () => {
    const run = (lastStart: string) => planRun({ PlanName: 'P', PlanId: lastStart, LastStart: lastStart, Status: 0, DataCopied: 10 });
    const summary = summarizeBackups({ clientName: 'C', companies: ['C'], runs: [run('2026-12-06T23:59:59'), run('2026-12-07T00:00:00'), run('2026-11-30T00:00:00')], from: '2026-11-30', to: '2026-12-06', now: new Date() });
    expect(summary.totals).toEqual({ jobs: 2, successes: 2, failures: 0, dataCopiedBytes: 20 });
  });
});
