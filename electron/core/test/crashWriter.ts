/**
 * Child process for the crash test: writes drafts through the real lifecycle as fast as it can
 * until it is killed with SIGKILL, wherever it is in a transaction.
 */
import { openCacheDatabase } from '../db/open.js';
import { getOpenDraftRow } from '../drafts/draftRows.js';
import { reviewDraft, saveDraft } from '../drafts/drafts.js';
import { queueDraft, recordResult } from '../drafts/outbox.js';
import { aesGcmSecretBox } from '../secrets/secretBox.js';
import { syncroDetail } from './fixtures.js';
import { seedMirror } from './seed.js';

const file = process.argv[2];
if (!file) throw new Error('usage: crashWriter <file>');
const db = await openCacheDatabase(file);
const box = aesGcmSecretBox(Buffer.alloc(32, 7));
const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
seedMirror(db, ...keys.map((key) => ({ ...syncroDetail({ version: 1 }), key, name: key })));
process.stdout.write('ready\n');
for (let i = 0; ; i += 1) {
  const key = keys[i % keys.length] as string;
  const open = getOpenDraftRow(db, key);
  if (open?.state === 'queued' && open.mutation_id !== null) {
    recordResult(db, { id: open.mutation_id, result: i % 3 === 0 ? 'rejected' : 'applied', ...(i % 3 === 0 ? { code: 'VALIDATION_FAILED', message: 'no' } : { version: 2 }) } as never);
    continue;
  }
  const draft = saveDraft(db, box, { integrationKey: key, kind: 'reconfigure', values: { subdomain: `s${i}`, api_token: `secret-${i}` } });
  reviewDraft(db, box, draft.id);
  queueDraft(db, draft.id);
}
