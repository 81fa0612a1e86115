import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { SECRET_MASK } from '../../../shared/integrations/fields.js';
import { getMetaNumber } from '../cache/syncMeta.js';
import type { CacheDb } from '../db/types.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { syncroDetail, tempCache } from '../test/fixtures.js';
import { seedMirror } from '../test/seed.js';
import { getDraftRow } from './draftRows.js';
import { discardDraft, reviewDraft, saveDraft } from './drafts.js';
import { outboxSize, pendingMutations, queueDraft, recordResult } from './outbox.js';

let cache: Awaited<ReturnType<typeof tempCache>>;
let db: CacheDb;
let box: SecretBox;
beforeEach(async () => {
  cache = await tempCache();
  ({ db, box } = cache);
  seedMirror(db, syncroDetail({ version: 3 }));
});
afterEach(() => cache.cleanup());

const edit = { integrationKey: 'syncro', kind: 'reconfigure' as const, values: { subdomain: 'beta', api_token: 'tok-new-9999', sync_tickets: true } };

describe('draft lifecycle', () => {
  it('goes draft → reviewed → queued → applied, sending the typed secret once and wiping it', () => {
    const draft = saveDraft(db, box, edit);
    expect(draft).toMatchObject({ state: 'draft', baseVersion: 3, typedSecrets: ['api_token'], values: { subdomain: 'beta', sync_tickets: true } });
    expect(JSON.stringify(draft)).not.toContain('tok-new-9999');

    expect(reviewDraft(db, box, draft.id).state).toBe('reviewed');
    const queued = queueDraft(db, draft.id);
    expect(queued).toMatchObject({ state: 'queued', mutationId: 1 });
    expect(pendingMutations(db, box, 10)).toEqual([
      { id: 1, kind: 'reconfigure', integrationKey: 'syncro', baseVersion: 3, settings: { subdomain: 'beta', sync_tickets: true, api_token: 'tok-new-9999' } },
    ]);

    recordResult(db, { id: 1, result: 'applied', version: 4 });
    expect(getDraftRow(db, draft.id)?.state).toBe('applied');
    expect(outboxSize(db)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM draft_secrets').pluck().get()).toBe(0);
    expect(getMetaNumber(db, 'lastMutationAcked')).toBe(1);
    // Recording the same result again (a replay after a crash) changes nothing.
    recordResult(db, { id: 1, result: 'applied', version: 4 });
    expect(getDraftRow(db, draft.id)?.state).toBe('applied');
  });

  it('keeps the stored secret when the mask or blank is sent', () => {
    const draft = saveDraft(db, box, { ...edit, values: { subdomain: 'beta', api_token: '' } });
    expect(draft.typedSecrets).toEqual([]);
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    expect(pendingMutations(db, box, 10)[0]?.settings).toEqual({ subdomain: 'beta' });
  });

  it('keeps a secret typed into the draft when the draft is saved again with the mask; a blank drops it', () => {
    const draft = saveDraft(db, box, edit);
    // The form shows the typed secret as saved and sends the mask back.
    expect(saveDraft(db, box, { ...edit, values: { subdomain: 'gamma', api_token: SECRET_MASK } }).typedSecrets).toEqual(['api_token']);
    expect(saveDraft(db, box, { ...edit, values: { subdomain: 'delta' } }).typedSecrets).toEqual(['api_token']);
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    expect(pendingMutations(db, box, 10)[0]?.settings).toEqual({ subdomain: 'delta', api_token: 'tok-new-9999' });
  });

  it('a blank for a typed secret goes back to the stored one', () => {
    saveDraft(db, box, edit);
    expect(saveDraft(db, box, { ...edit, values: { subdomain: 'beta', api_token: '' } }).typedSecrets).toEqual([]);
  });

  it('a newly typed secret replaces the one typed before', () => {
    const draft = saveDraft(db, box, edit);
    saveDraft(db, box, { ...edit, values: { subdomain: 'beta', api_token: 'tok-newer-1111' } });
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    expect(pendingMutations(db, box, 10)[0]?.settings).toMatchObject({ api_token: 'tok-newer-1111' });
  });

  it('refuses to review invalid values, with the field named', () => {
    const draft = saveDraft(db, box, { ...edit, values: { subdomain: 'Not Valid!' } });
    expect(() => reviewDraft(db, box, draft.id)).toThrow(AppError);
    try {
      reviewDraft(db, box, draft.id);
    } catch (error) {
      expect((error as AppError).fields).toEqual({ 'settings.subdomain': ['Letters, digits and dashes'] });
    }
    expect(getDraftRow(db, draft.id)?.state).toBe('draft');
  });

  it('requires a new review after an edit and refuses edits while queued', () => {
    const draft = saveDraft(db, box, edit);
    reviewDraft(db, box, draft.id);
    expect(saveDraft(db, box, { ...edit, values: { subdomain: 'gamma' } }).state).toBe('draft');
    expect(() => queueDraft(db, draft.id)).toThrow(/Review the change/);
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    expect(() => saveDraft(db, box, edit)).toThrow(/waiting to be sent/);
    expect(() => discardDraft(db, draft.id)).toThrow(/being sent/);
  });

  it('a rejected change does not block the queue and can be fixed and re-sent', () => {
    const first = saveDraft(db, box, edit);
    reviewDraft(db, box, first.id);
    queueDraft(db, first.id);
    seedMirror(db, { ...syncroDetail({ version: null }), key: 'other', name: 'Other' });
    const second = saveDraft(db, box, { integrationKey: 'other', kind: 'configure', values: { subdomain: 'x', api_token: 'other-secret' } });
    reviewDraft(db, box, second.id);
    queueDraft(db, second.id);

    recordResult(db, { id: 1, result: 'rejected', code: 'VALIDATION_FAILED', message: 'Bad subdomain', fields: { 'settings.subdomain': ['No such Syncro account'] } });
    expect(pendingMutations(db, box, 10).map((m) => m.id)).toEqual([2]);
    const rejected = getDraftRow(db, first.id);
    expect(rejected?.state).toBe('rejected');
    expect(JSON.parse(rejected?.error_json ?? '{}')).toMatchObject({ fields: { 'settings.subdomain': ['No such Syncro account'] } });
    // The typed secret is kept so the fix does not mean typing it again.
    expect(saveDraft(db, box, { ...edit, values: { subdomain: 'fixed' } }).typedSecrets).toEqual(['api_token']);
  });

  it('discards a draft together with its secrets', () => {
    const draft = saveDraft(db, box, edit);
    discardDraft(db, draft.id);
    expect(getDraftRow(db, draft.id)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM draft_secrets').pluck().get()).toBe(0);
  });
});

describe('one transaction per step (simulated crash between steps)', () => {
  it('a failure after the outbox insert leaves neither the entry nor the state change', () => {
    const draft = saveDraft(db, box, edit);
    reviewDraft(db, box, draft.id);
    // The draft update runs after the outbox insert; make it fail as a crash would.
    db.exec("CREATE TEMP TRIGGER crash BEFORE UPDATE OF state ON drafts WHEN NEW.state = 'queued' BEGIN SELECT RAISE(ABORT, 'crash'); END");
    expect(() => queueDraft(db, draft.id)).toThrow(/crash/);
    expect(outboxSize(db)).toBe(0);
    expect(getDraftRow(db, draft.id)?.state).toBe('reviewed');
    expect(getMetaNumber(db, 'lastMutationIssued')).toBeNull();

    db.exec('DROP TRIGGER crash');
    expect(queueDraft(db, draft.id).mutationId).toBe(1);
  });

  it('a failure while recording a result keeps the entry for a replay', () => {
    const draft = saveDraft(db, box, edit);
    reviewDraft(db, box, draft.id);
    queueDraft(db, draft.id);
    // The outbox delete runs after the draft update.
    db.exec("CREATE TEMP TRIGGER crash BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'crash'); END");
    expect(() => recordResult(db, { id: 1, result: 'applied', version: 4 })).toThrow(/crash/);
    expect(getDraftRow(db, draft.id)?.state).toBe('queued');
    expect(db.prepare('SELECT count(*) FROM draft_secrets').pluck().get()).toBe(1);
    expect(pendingMutations(db, box, 10).map((m) => m.id)).toEqual([1]);

    db.exec('DROP TRIGGER crash');
    recordResult(db, { id: 1, result: 'applied', version: 4 });
    expect(getDraftRow(db, draft.id)?.state).toBe('applied');
  });
});
