import type { InteractionDetail, InteractionFilter, InteractionSummary } from '../../shared/interactions.js';
import type { Queryable } from './pool.js';

/** One row as the writer inserts it (bodies already redacted and capped). */
export interface InteractionRow {
  partnerId: number;
  integrationKey: string;
  actionId: string;
  kind: string;
  direction: 'outbound' | 'inbound';
  externalRef: string | null;
  method: string;
  path: string;
  host: string;
  status: number | null;
  durationMs: number;
  retries: number;
  outcome: string;
  errorKind: string | null;
  userId: number | null;
  /** Issue 25: the assistant token the call was made through; absent or null: not through an assistant. */
  accessTokenId?: number | null;
  requestBody: unknown;
  responseBody: unknown;
  requestTruncated: boolean;
  responseTruncated: boolean;
  at: Date;
}

const columns = [
  'partner_id', 'integration_key', 'action_id', 'kind', 'direction', 'external_ref', 'method', 'path', 'host', 'status',
  'duration_ms', 'retries', 'outcome', 'error_kind', 'user_id', 'request_body', 'response_body', 'request_truncated',
  'response_truncated', 'at', 'access_token_id',
] as const;

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Each column's array type, for the one INSERT … SELECT FROM unnest(…) below. */
const columnTypes = [
  'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'integer',
  'integer', 'integer', 'text', 'text', 'bigint', 'jsonb', 'jsonb', 'boolean', 'boolean', 'timestamptz', 'bigint',
] as const;

/**
 * Inserts the rows in one statement whose text does not depend on how many there are (one array
 * per column, unnest): it is parsed and planned once per connection (prepared, server/db/pool.ts)
 * and needs no limit on the number of parameters.
 */
export async function insertInteractions(db: Queryable, rows: readonly InteractionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const arrays: unknown[][] = columns.map(() => []);
  for (const r of rows) {
    const row = [
      r.partnerId, r.integrationKey, r.actionId, r.kind, r.direction, r.externalRef, r.method, r.path, r.host, r.status,
      Math.max(0, Math.round(r.durationMs)), r.retries, r.outcome, r.errorKind, r.userId, json(r.requestBody), json(r.responseBody),
      r.requestTruncated, r.responseTruncated, r.at, r.accessTokenId ?? null,
    ];
    row.forEach((value, i) => arrays[i]?.push(value));
  }
  const params = columnTypes.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  await db.query(`INSERT INTO interaction_log (${columns.join(', ')}) SELECT * FROM unnest(${params})`, arrays);
}

const summaryColumns = `l.id, l.integration_key AS "integrationKey", l.action_id AS "actionId", l.kind, l.direction,
  l.external_ref AS "externalRef", l.method, l.path, l.host, l.status, l.duration_ms AS "durationMs", l.retries, l.outcome,
  l.error_kind AS "errorKind", l.user_id AS "userId",
  CASE WHEN l.user_id IS NULL THEN 'System' ELSE coalesce(u.email, 'User #' || l.user_id) END AS "user", l.at,
  CASE WHEN l.access_token_id IS NULL THEN NULL ELSE coalesce(t.name, 'AI assistant') END AS "viaAssistant"`;
// The token's name under the partner's own scope (the dev partner, reading another's, sees none: "AI assistant").
const joins = 'LEFT JOIN users u ON u.id = l.user_id LEFT JOIN personal_access_tokens t ON t.partner_id = l.partner_id AND t.id = l.access_token_id';

type SummaryRecord = Omit<InteractionSummary, 'at'> & { at: Date };
const toSummary = ({ at, ...rest }: SummaryRecord): InteractionSummary => ({ ...rest, at: at.toISOString() });

/** The keyset of a row: its time in ms and its id ("1764990000000.42"). */
export const cursorOf = (row: { at: Date | string; id: number }) => `${new Date(row.at).getTime()}.${row.id}`;

/** One page of a partner's log of one integration (or, key null, of all: issue 25's MCP resource), newest first, bodies left out. */
export async function listInteractions(
  db: Queryable,
  partnerId: number,
  key: string | null,
  filter: InteractionFilter & { limit: number },
): Promise<{ items: InteractionSummary[]; nextCursor: string | null }> {
  const where = ['l.partner_id = $1'];
  const values: unknown[] = [partnerId];
  if (key !== null) {
    values.push(key);
    where.push('l.integration_key = $2');
  }
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.outcome === 'ok') add((n) => `l.outcome = ${n}`, 'ok');
  // Failures through the partial index: `outcome <> 'ok'` and then the exact kind.
  else if (filter.outcome) add((n) => `l.outcome <> 'ok' AND l.outcome = ${n}`, filter.outcome);
  if (filter.via === 'assistant') where.push('l.access_token_id IS NOT NULL');
  if (filter.actionId) add((n) => `l.action_id = ${n}`, filter.actionId);
  if (filter.from) add((n) => `l.at >= ${n}`, new Date(filter.from));
  if (filter.to) add((n) => `l.at < ${n}`, new Date(filter.to));
  if (filter.cursor) {
    const [ms, id] = filter.cursor.split('.').map(Number) as [number, number];
    values.push(new Date(ms), id);
    where.push(`(l.at, l.id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(filter.limit + 1);
  const { rows } = await db.query<SummaryRecord>(
    `SELECT ${summaryColumns} FROM interaction_log l ${joins}
      WHERE ${where.join(' AND ')} ORDER BY l.at DESC, l.id DESC LIMIT $${values.length}`,
    values,
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { items: page.map(toSummary), nextCursor: rows.length > filter.limit && last ? cursorOf(last) : null };
}

/** One row with its (redacted) bodies; undefined when the partner has none with this id. */
export async function findInteraction(db: Queryable, partnerId: number, id: number): Promise<InteractionDetail | undefined> {
  const { rows } = await db.query<SummaryRecord & Pick<InteractionDetail, 'requestBody' | 'responseBody' | 'requestTruncated' | 'responseTruncated'>>(
    `SELECT ${summaryColumns}, l.request_body AS "requestBody", l.response_body AS "responseBody",
            l.request_truncated AS "requestTruncated", l.response_truncated AS "responseTruncated"
       FROM interaction_log l ${joins}
      WHERE l.partner_id = $1 AND l.id = $2`,
    [partnerId, id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { requestBody, responseBody, requestTruncated, responseTruncated, ...summary } = row;
  return { ...toSummary(summary), requestBody, responseBody, requestTruncated, responseTruncated };
}

/** Deletes up to `limit` rows older than `before` (every partner: run with the connecting role). */
export async function pruneInteractions(db: Queryable, before: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM interaction_log WHERE ctid IN (SELECT ctid FROM interaction_log WHERE at < $1 LIMIT $2)`,
    [before, limit],
  );
  return rowCount ?? 0;
}
