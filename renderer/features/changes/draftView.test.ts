import { describe, expect, it } from 'vitest';
import type { Draft, LocalSyncStatus } from '../../../shared/localApi.js';
import { draftBadgeState, draftSettings } from './draftView.js';

const draft: Draft = {
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
const sync = (phase: 'idle' | 'pushing'): LocalSyncStatus => ({
  connection: 'online',
  authRequired: false,
  syncing: false,
  lastSyncedAt: null,
  lastError: null,
  nextRetryAt: null,
  pendingMutations: 0,
  serverVersion: null,
  activity: phase === 'pushing' ? { phase, done: 0, total: 1 } : { phase },
  pendingDrafts: 1,
  conflictDrafts: 0,
  reviewMode: false,
});

describe('a core draft on its card', () => {
  it('shows plain values over the base, and a typed secret as set without its value', () => {
    expect(draftSettings({ ...draft, typedSecrets: ['api_token'] })).toEqual({ subdomain: 'acme-eu', api_token: { isSet: true, last4: null } });
    expect(draftSettings(draft)).toEqual({ subdomain: 'acme-eu', api_token: { isSet: true, last4: '1234' } });
    expect(draftSettings({ ...draft, kind: 'delete' })).toBeNull();
  });

  it('reads a failed review as refused, a reviewed draft as a draft, and queued as sending while the engine pushes', () => {
    expect(draftBadgeState({ ...draft, error: { code: 'VALIDATION_FAILED', message: 'x' } }, sync('idle'))).toBe('rejected');
    expect(draftBadgeState({ ...draft, state: 'reviewed' }, sync('idle'))).toBe('draft');
    expect(draftBadgeState({ ...draft, state: 'queued' }, sync('idle'))).toBe('queued');
    expect(draftBadgeState({ ...draft, state: 'queued' }, sync('pushing'))).toBe('pushing');
    expect(draftBadgeState({ ...draft, state: 'conflict' }, undefined)).toBe('conflict');
  });
});
