import type { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import type { CacheDb } from '../db/types.js';
import { getCachedRead, putCachedRead } from './serverReads.js';

export interface ReadThrough<T> {
  value: T;
  /** When the server answered this (now, or when the cached copy was read). */
  fetchedAt: string | null;
  fromCache: boolean;
}

/**
 * The server's answer, kept under `doc` in `cached_reads`; when the server cannot be reached
 * (no token, or UNAVAILABLE), the copy last kept, marked as such. Any other refusal is the answer.
 */
export async function readThrough<S extends z.ZodType>(
  db: CacheDb,
  doc: string,
  schema: S,
  options: { online: boolean; now: () => string; fetch: () => Promise<z.infer<S>>; never?: string },
): Promise<ReadThrough<z.infer<S>>> {
  if (options.online) {
    try {
      const value = await options.fetch();
      const at = options.now();
      putCachedRead(db, doc, value, at);
      return { value, fetchedAt: at, fromCache: false };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
    }
  }
  const cached = getCachedRead(db, doc, schema);
  if (!cached) throw new AppError('UNAVAILABLE', options.never ?? 'The server cannot be reached and this has not been read before; it needs a connection');
  return { value: cached.value, fetchedAt: cached.fetchedAt, fromCache: true };
}
