/**
 * Child process of the `kill-core` scenario: changes the desktop core's cache through the real
 * functions (configuration drafts through their whole life, offline mapping edits, action
 * requests) as fast as it can, in a seeded order, until it is killed with SIGKILL wherever it is.
 * Before each operation it prints `begin <json>`, after its transaction commits `ack <json>`:
 * the parent then knows what was promised (acked) and what may or may not have landed (begun).
 * stdout to a pipe is synchronous on Linux, so an ack printed is an ack the parent reads.
 */
import { openCacheDatabase } from '../electron/core/db/open.js';
import { composeRequest, queueRequest } from '../electron/core/drafts/actionRequests.js';
import { getOpenDraftRow } from '../electron/core/drafts/draftRows.js';
import { reviewDraft, saveDraft } from '../electron/core/drafts/drafts.js';
import { queueMappingEdits } from '../electron/core/drafts/mappingDrafts.js';
import { queueDraft, recordResult } from '../electron/core/drafts/outbox.js';
import { aesGcmSecretBox } from '../electron/core/secrets/secretBox.js';
import { syncroDetail } from '../electron/core/test/fixtures.js';
import { seedMirror } from '../electron/core/test/seed.js';
import { seededRandom } from './lib/scenario.js';
import { killCoreKeys, killCoreSecretKey, type WriterOp } from './killCoreOps.js';

const [file, seedArg] = process.argv.slice(2);
if (!file || !seedArg) throw new Error('usage: killCoreWriter <cache file> <seed>');
const random = seededRandom(Number(seedArg));
const db = await openCacheDatabase(file);
const box = aesGcmSecretBox(killCoreSecretKey);
// A restarted writer (the "after restart" half) finds the mirror seeded already.
if (db.prepare('SELECT count(*) FROM mirror_integrations').pluck().get() === 0) {
  seedMirror(db, ...killCoreKeys.map((key) => ({ ...syncroDetail({ version: 1 }), key, name: key })));
}
const say = (word: 'begin' | 'ack', op: WriterOp) => process.stdout.write(`${word} ${JSON.stringify(op)}\n`);
const now = () => new Date().toISOString();
process.stdout.write('ready\n');

for (let i = 0; ; i += 1) {
  const r = random();
  if (r < 0.5) {
    const key = killCoreKeys[Math.floor(random() * killCoreKeys.length)] as string;
    const open = getOpenDraftRow(db, key);
    if (open?.state === 'queued' && open.mutation_id !== null) {
      const outcome = random() < 0.7 ? 'applied' : 'rejected';
      say('begin', { kind: 'draft', key, id: open.id, state: outcome });
      recordResult(db, outcome === 'applied' ? { id: open.mutation_id, result: 'applied', version: 2 } : ({ id: open.mutation_id, result: 'rejected', code: 'VALIDATION_FAILED', message: 'no' } as never));
      say('ack', { kind: 'draft', key, id: open.id, state: outcome });
    } else if (open?.state === 'reviewed') {
      say('begin', { kind: 'draft', key, id: open.id, state: 'queued' });
      queueDraft(db, open.id);
      say('ack', { kind: 'draft', key, id: open.id, state: 'queued' });
    } else if (open?.state === 'draft') {
      say('begin', { kind: 'draft', key, id: open.id, state: 'reviewed' });
      reviewDraft(db, box, open.id);
      say('ack', { kind: 'draft', key, id: open.id, state: 'reviewed' });
    } else if (!open) {
      say('begin', { kind: 'draft', key, id: null, state: 'draft' });
      const draft = saveDraft(db, box, { integrationKey: key, kind: 'reconfigure', values: { subdomain: `s${i}`, api_token: `secret-${i}` } });
      say('ack', { kind: 'draft', key, id: draft.id, state: 'draft' });
    }
  } else if (r < 0.8) {
    const org = `org-${Math.floor(random() * 20)}`;
    const pick = Math.floor(random() * 6);
    const clientId = pick === 0 ? null : pick;
    say('begin', { kind: 'mapping', org, clientId });
    queueMappingEdits(db, 'syncro', [{ externalOrgId: org, externalOrgName: org, clientId }], now());
    say('ack', { kind: 'mapping', org, clientId });
  } else {
    const queued = db.prepare("SELECT id, request_key FROM action_requests WHERE state = 'draft' ORDER BY id LIMIT 1").get() as { id: number; request_key: string } | undefined;
    if (queued && random() < 0.6) {
      say('begin', { kind: 'request', id: queued.id, key: queued.request_key, state: 'queued' });
      queueRequest(db, queued.id, now());
      say('ack', { kind: 'request', id: queued.id, key: queued.request_key, state: 'queued' });
    } else {
      say('begin', { kind: 'request', id: null, key: null, state: 'draft' });
      const request = composeRequest(db, { actionId: 'syncro.tickets.update', integrationKey: 'syncro', label: 'Update a ticket' }, { ticketId: i, status: 'Resolved' }, now());
      say('ack', { kind: 'request', id: request.id, key: request.key, state: 'draft' });
    }
  }
}
