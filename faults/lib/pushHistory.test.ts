import { describe, expect, it } from 'vitest';
import { checkPushHistory, type PushHistory, type ServerTruth } from './pushHistory.js';

// The kill-server checker against doctored histories: each kind of loss or duplicate it exists
// to catch is reported, and an honest history passes.

const history = (): PushHistory => ({
  configChanges: [
    { integrationKey: 'msp360', field: 'api_login', value: 'k1', draftId: 1, outcome: 'applied' },
    { integrationKey: 'msp360', field: 'api_login', value: 'k2', draftId: 2, outcome: 'conflict' },
    { integrationKey: 'msp360', field: 'api_login', value: 'k3', draftId: 3, outcome: 'pending' },
  ],
  mappingChanges: [
    { externalOrgId: 'org-1', op: 'create', outcome: 'applied' },
    { externalOrgId: 'org-1', op: 'delete', outcome: 'applied' },
    { externalOrgId: 'org-2', op: 'create', outcome: 'applied' },
    { externalOrgId: 'org-3', op: 'create', outcome: 'failed', detail: 'UNAVAILABLE' },
  ],
});

const truth = (): ServerTruth => ({
  configAudit: [{ id: 10, integrationKey: 'msp360', action: 'configured', value: 'k1' }],
  current: { msp360: 'k1' },
  mappingAudit: [
    { action: 'mapping_created', externalOrgId: 'org-1' },
    { action: 'mapping_deleted', externalOrgId: 'org-1' },
    { action: 'mapping_created', externalOrgId: 'org-2' },
  ],
  mapped: new Set(['org-2']),
});

describe('checkPushHistory', () => {
  it('passes a history the database agrees with (a pending change may or may not have landed)', () => {
    expect(checkPushHistory(history(), truth(), 't')).toEqual([]);
    const landed = truth();
    landed.configAudit.push({ id: 11, integrationKey: 'msp360', action: 'reconfigured', value: 'k3' });
    landed.current.msp360 = 'k3';
    expect(checkPushHistory(history(), landed, 't')).toEqual([]);
  });

  it('reports a change applied twice, one reported applied that never landed, and a conflict that landed', () => {
    const doubled = truth();
    doubled.configAudit.push({ id: 11, integrationKey: 'msp360', action: 'reconfigured', value: 'k1' });
    expect(checkPushHistory(history(), doubled, 't')).toEqual([expect.stringContaining('k1 (draft 1) was reported applied but reached the server 2 times')]);

    const lost = truth();
    lost.configAudit = [];
    lost.current = {};
    expect(checkPushHistory(history(), lost, 't')).toEqual([expect.stringContaining('k1 (draft 1) was reported applied but reached the server 0 times')]);

    const conflictLanded = truth();
    conflictLanded.configAudit.push({ id: 11, integrationKey: 'msp360', action: 'reconfigured', value: 'k2' });
    conflictLanded.current.msp360 = 'k2';
    expect(checkPushHistory(history(), conflictLanded, 't')).toEqual([expect.stringContaining('k2 (draft 2) was reported conflict but reached the server 1 times')]);
  });

  it('reports an audit row nobody sent, an effect without its audit row, and mapping edits lost or doubled', () => {
    const phantom = truth();
    phantom.configAudit.push({ id: 12, integrationKey: 'msp360', action: 'reconfigured', value: 'k9' });
    phantom.current.msp360 = 'k9';
    expect(checkPushHistory(history(), phantom, 't')).toEqual([expect.stringContaining('sets msp360=k9, which no change sent')]);

    const unaudited = truth();
    unaudited.current.msp360 = 'k3';
    expect(checkPushHistory(history(), unaudited, 't')).toEqual([expect.stringContaining('holds k3 but its newest audit row says k1')]);

    const mappings = truth();
    mappings.mappingAudit.push({ action: 'mapping_created', externalOrgId: 'org-3' });
    mappings.mapped = new Set(['org-1', 'org-2', 'org-3']);
    mappings.mappingAudit = mappings.mappingAudit.filter((m) => m.action !== 'mapping_deleted');
    expect(checkPushHistory(history(), mappings, 't')).toEqual([
      expect.stringContaining('mapping delete of org-1 was reported applied but reached the server 0 times'),
      expect.stringContaining('mapping create of org-3 (UNAVAILABLE) was reported failed but reached the server 1 times'),
      expect.stringContaining('org-1 is mapped on the server'),
      expect.stringContaining('org-3 is mapped on the server'),
    ]);
  });
});
