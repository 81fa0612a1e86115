import { insertInteractions, type InteractionRow } from '../../db/interactionLog.js';
import { writeAsPartner } from '../../db/partnerRead.js';
import type { Db } from '../../db/pool.js';
import type { InteractionEntry, InteractionRecorder, InteractionScope } from '../../integrations/http/interactionScope.js';
import type { Logger } from '../../logger.js';
import { redactBody, redactedMark } from './redact.js';

export interface InteractionLogOptions {
  db: Db;
  log: Logger;
  /** Flush at least this often while entries wait. Default 200 ms. */
  flushMs?: number;
  /** Flush at once when this many wait; also the most rows of one INSERT (up to 1,000). Default 200. */
  batchSize?: number;
  /** Beyond this many waiting, new entries are dropped (and counted). Default 10,000. */
  maxPending?: number;
}

/** The writer as the runtime holds it: a recorder plus what shutdown and tests need. */
export interface InteractionLog extends InteractionRecorder {
  /** Writes everything waiting now; resolves when it is stored (or failed and was counted). */
  flush(): Promise<void>;
  /** Final flush; later entries are dropped. */
  stop(): Promise<void>;
  stats(): { pending: number; written: number; dropped: number; failed: number };
}

interface Pending {
  scope: InteractionScope;
  entry: InteractionEntry;
}

/**
 * The interaction log's writer (deps.interactionLog). `record` only pushes onto an array: the
 * vendor call's caller never waits for redaction or the database. A timer (or a full batch) then
 * redacts the bodies and writes one multi-row INSERT per partner, in that partner's scope (row
 * level security holds for the writer too). Bounded: past `maxPending` entries are dropped and
 * counted, with one warning a minute at most, so a database outage cannot grow memory.
 */
export function createInteractionLog(options: InteractionLogOptions): InteractionLog {
  const flushMs = options.flushMs ?? 200;
  const batchSize = options.batchSize ?? 200;
  const maxPending = options.maxPending ?? 10_000;
  // Rows per INSERT (one array per column, so no parameter limit; this bounds one statement).
  const rowsPerInsert = Math.min(batchSize, 1_000);
  /** Partners written at once (each its own connection for one round trip). */
  const parallelPartners = 4;
  const log = options.log.child({ component: 'interaction-log' });
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let stopped = false;
  const counts = { written: 0, dropped: 0, failed: 0 };
  let lastWarning = 0;

  const warnDropped = () => {
    const now = Date.now();
    if (now - lastWarning < 60_000) return;
    lastWarning = now;
    log.warn({ dropped: counts.dropped, pending: queue.length }, 'interaction log is behind: entries dropped');
  };

  const schedule = () => {
    if (queue.length >= batchSize) void flush();
    else if (!timer) {
      timer = setTimeout(() => void flush(), flushMs);
      timer.unref?.();
    }
  };

  async function writeBatch(batch: Pending[]): Promise<void> {
    const byPartner = new Map<number, InteractionRow[]>();
    for (const item of batch) {
      const row = toRow(item);
      const rows = byPartner.get(row.partnerId) ?? [];
      rows.push(row);
      byPartner.set(row.partnerId, rows);
    }
    // A health sweep's batch spans many partners, each written in its own scope: a few at once,
    // each in one round trip (writeAsPartner), so the log keeps up with the calls it records.
    const partners = [...byPartner];
    const writeNext = async (): Promise<void> => {
      for (let next = partners.shift(); next; next = partners.shift()) {
        const [partnerId, rows] = next;
        for (let i = 0; i < rows.length; i += rowsPerInsert) {
          const slice = rows.slice(i, i + rowsPerInsert);
          try {
            await writeAsPartner(options.db, partnerId, (q) => insertInteractions(q, slice));
            counts.written += slice.length;
          } catch {
            // One bad row (say, its user deleted meanwhile) must not take its batch with it.
            await writeOneByOne(partnerId, slice);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelPartners, partners.length) }, writeNext));
  }

  async function writeOneByOne(partnerId: number, rows: InteractionRow[]): Promise<void> {
    let failed = 0;
    let errorType = '';
    for (const row of rows) {
      try {
        await writeAsPartner(options.db, partnerId, (q) => insertInteractions(q, [row]));
        counts.written++;
      } catch (error) {
        failed++;
        errorType = error instanceof Error ? error.name : typeof error;
      }
    }
    counts.failed += failed;
    // Type only: a database message could quote a value.
    if (failed > 0) log.error({ partnerId, rows: failed, errorType }, 'interaction log write failed');
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    // One write at a time, in order; each flush takes what is waiting when its turn comes.
    writing = writing.then(async () => {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        await writeBatch(batch);
      }
    });
    return writing;
  }

  return {
    record(scope, entry) {
      if (stopped) return;
      if (queue.length >= maxPending) {
        counts.dropped++;
        warnDropped();
        return;
      }
      queue.push({ scope, entry });
      schedule();
    },
    flush,
    async stop() {
      await flush();
      stopped = true;
    },
    stats: () => ({ pending: queue.length, ...counts }),
  };
}

/** Redaction happens here, off the caller's path. */
function toRow({ scope, entry }: Pending): InteractionRow {
  const request = redactBody(entry.requestBody, entry.secrets);
  const response = redactBody(entry.responseBody, entry.secrets);
  return {
    partnerId: scope.partnerId,
    integrationKey: scope.integrationKey,
    actionId: scope.actionId.slice(0, 100),
    kind: scope.kind,
    direction: 'outbound',
    externalRef: scope.actionRunId ? `action_run:${scope.actionRunId}` : null,
    method: entry.method.slice(0, 10),
    path: scrubPath(entry.path, entry.secrets),
    host: entry.host.slice(0, 300),
    status: entry.status,
    durationMs: entry.durationMs,
    retries: entry.retries,
    outcome: entry.outcome,
    errorKind: entry.errorKind?.slice(0, 50) ?? null,
    userId: scope.userId,
    accessTokenId: scope.accessTokenId ?? null,
    requestBody: request?.value ?? null,
    responseBody: response?.value ?? null,
    requestTruncated: request?.truncated ?? false,
    responseTruncated: response?.truncated ?? false,
    at: entry.startedAt,
  };
}

/** A path segment can carry a secret only by mistake; it is scrubbed all the same. */
function scrubPath(path: string, secrets: readonly string[]): string {
  let out = path.slice(0, 2000);
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, encodeURIComponent(secret)]) if (out.includes(form)) out = out.split(form).join(redactedMark);
  }
  return out;
}
