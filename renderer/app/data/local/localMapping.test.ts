import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../../shared/localApi.js';
import { parseAuditCursor, toApplySummary } from './localMapping.js';

const base: Draft = {
  id: 4,
  integrationKey: 'syncro',
  kind: 'reconfigure',
  state: 'draft',
  baseVersion: 3,
  base: { subdomain: 'acme', api_token: { isSet: true, last4: '1234' } },
  values: { subdomain: 'acme-eu' },
  typedSecrets: [],
  restoreFrom: null,
  server: null,
  merge: null,
  serverChange: null,
  error: null,
  mutationId: null,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:05:00.000Z',
};

describe('local API answers as the screens count them', () => {
  it('sums up an apply from each draft’s state after the attempt', () => {
    const states: Draft['state'][] = ['applied', 'applied', 'queued', 'conflict', 'rejected'];
    const drafts = states.map((state) => ({ ...base, state }));
    drafts.push({ ...base, state: 'draft', error: { code: 'VALIDATION_FAILED', message: 'x' } });
    expect(toApplySummary(drafts)).toEqual({ applied: 2, queued: 1, conflicts: 1, rejected: 2 });
  });

  it('reads audit cursors for the cached window and for older pages from the server', () => {
    expect(parseAuditCursor(null)).toEqual({ source: 'cache', before: undefined });
    expect(parseAuditCursor('c:120')).toEqual({ source: 'cache', before: 120 });
    expect(parseAuditCursor('s:7')).toEqual({ source: 'server', before: 7 });
    expect(parseAuditCursor('garbage')).toEqual({ source: 'cache', before: undefined });
  });
});
