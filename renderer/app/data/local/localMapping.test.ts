import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../../shared/localApi.js';
import { parseAuditCursor, toApplySummary, toDraft } from './localMapping.js';

const base: Draft = {
  id: 4,
  integrationKey: 'syncro',
  kind: 'reconfigure',
  state: 'draft',
  baseVersion: 3,
  base: { subdomain: 'acme', api_token: { isSet: true, last4: '1234' } },
  values: { subdomain: 'acme-eu' },
  typedSecrets: [],
  server: null,
  merge: null,
  error: null,
  mutationId: null,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:05:00.000Z',
};

describe('core drafts as the screens show them', () => {
  it('shows plain values over the base, and a typed secret as set without its value', () => {
    const typed = toDraft({ ...base, typedSecrets: ['api_token'] }, 'Syncro PSA', false);
    expect(typed).toMatchObject({ id: '4', integrationName: 'Syncro PSA', action: 'reconfigure', replacedSecrets: ['api_token'], state: 'draft' });
    expect(typed.settings).toEqual({ subdomain: 'acme-eu', api_token: { isSet: true, last4: null } });
    expect(toDraft({ ...base, kind: 'delete' }, 'Syncro PSA', false).settings).toBeNull();
  });

  it('maps the lifecycle: a failed review reads as refused, queued as sending while the engine pushes', () => {
    const error = { code: 'VALIDATION_FAILED' as const, message: 'Some fields are not valid' };
    expect(toDraft({ ...base, error }, 'S', false).state).toBe('rejected');
    expect(toDraft({ ...base, state: 'reviewed' }, 'S', false).state).toBe('draft');
    expect(toDraft({ ...base, state: 'queued' }, 'S', false).state).toBe('queued');
    expect(toDraft({ ...base, state: 'queued' }, 'S', true).state).toBe('pushing');
    const server = { settings: { subdomain: 'acme-us' }, state: { version: 5 } } as unknown as Draft['server'];
    expect(toDraft({ ...base, state: 'conflict', server }, 'S', false).conflict).toEqual({ base: base.base, server: { subdomain: 'acme-us' }, serverVersion: 5 });
  });

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
