import type { Queryable } from './pool.js';

/** Queries of `published_files`, each inside a partner scope (withPartner): RLS applies. */

export interface NewPublishedFile {
  tokenHash: Buffer;
  filename: string;
  contentType: string;
  body: Buffer;
  lifetimeMs: number;
}

/** Stores the file; its expiry is the database's clock plus the lifetime (instances' clocks may differ). */
export async function insertPublishedFile(tx: Queryable, partnerId: number, file: NewPublishedFile): Promise<Date> {
  const result = await tx.query<{ expires_at: Date }>(
    `INSERT INTO published_files (partner_id, token_hash, filename, content_type, bytes, body, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond')
     RETURNING expires_at`,
    [partnerId, file.tokenHash, file.filename, file.contentType, file.body.length, file.body, file.lifetimeMs],
  );
  return (result.rows[0] as { expires_at: Date }).expires_at;
}

/** Drops the partner's files whose time is up (used or not): nothing can fetch them any more. */
export async function pruneExpiredFiles(tx: Queryable, partnerId: number): Promise<number> {
  const result = await tx.query('DELETE FROM published_files WHERE partner_id = $1 AND expires_at <= now()', [partnerId]);
  return result.rowCount ?? 0;
}

export interface ClaimedFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/**
 * The single use, in one statement: the row is claimed only while unused and unexpired (a
 * concurrent second fetch waits on the row lock, then finds `used_at` set and gets nothing), and
 * its body is emptied as it is handed out. Null: unknown, already used or expired.
 */
export async function claimPublishedFile(tx: Queryable, partnerId: number, tokenHash: Buffer): Promise<ClaimedFile | null> {
  const result = await tx.query<{ filename: string; content_type: string; body: Buffer }>(
    `UPDATE published_files f SET used_at = now(), body = ''::bytea
       FROM (SELECT partner_id, id, body FROM published_files
              WHERE partner_id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > now()
              FOR UPDATE) old
      WHERE f.partner_id = old.partner_id AND f.id = old.id AND f.used_at IS NULL
      RETURNING f.filename, f.content_type, old.body`,
    [partnerId, tokenHash],
  );
  const row = result.rows[0];
  return row ? { filename: row.filename, contentType: row.content_type, body: row.body } : null;
}
