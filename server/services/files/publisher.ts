import { AppError } from '../../../shared/errors.js';
import { claimPublishedFile, insertPublishedFile, pruneExpiredFiles } from '../../db/publishedFiles.js';
import { withPartner, type Db } from '../../db/pool.js';
import type { FilePublisher } from '../../deps.js';
import { issueFileToken, openFileToken, type FileTokenKeys } from './fileToken.js';

/** How long a published file may be fetched (issue 15: 15 minutes). */
export const publishedFileLifetimeMs = 15 * 60_000;
/** The largest file published (a backup summary of 2,000 plans is far below it). */
export const maxPublishedFileBytes = 10 * 1024 * 1024;

const safeFilename = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;
const safeContentType = /^[a-z]+\/[a-z0-9.+-]+(?:; ?charset=utf-8)?$/i;

/**
 * Publishes partners' files under PUBLIC_BASE_URL at `/files/<token>` (see fileToken.ts), one
 * fetch each within 15 minutes, and answers those fetches. Disabled (`enabled: false`, publish
 * refuses) when PUBLIC_BASE_URL is not set: a vendor could not reach a URL we made up.
 */
export function createFilePublisher(options: { db: Db; publicBaseUrl: string | undefined; keys: FileTokenKeys }): FilePublisher {
  const { db, keys } = options;
  const base = options.publicBaseUrl?.replace(/\/+$/, '');
  return {
    enabled: base !== undefined,

    async publish(partnerId, file) {
      if (base === undefined) throw new AppError('CONFLICT', 'Files cannot be published: PUBLIC_BASE_URL is not set on the server');
      if (!safeFilename.test(file.filename)) throw new AppError('VALIDATION_FAILED', 'A published file name is letters, digits, dots, dashes, underscores and spaces (200 at most)');
      if (!safeContentType.test(file.contentType)) throw new AppError('VALIDATION_FAILED', 'A published file needs a plain content type such as text/csv');
      if (file.body.length > maxPublishedFileBytes) throw new AppError('PAYLOAD_TOO_LARGE', `A published file is at most ${maxPublishedFileBytes} bytes`);
      const { token, hash } = issueFileToken(keys, partnerId);
      const expiresAt = await withPartner(db, partnerId, async (tx) => {
        await pruneExpiredFiles(tx, partnerId);
        return insertPublishedFile(tx, partnerId, { tokenHash: hash, filename: file.filename, contentType: file.contentType, body: file.body, lifetimeMs: publishedFileLifetimeMs });
      });
      return { url: `${base}/files/${token}`, expiresAt };
    },

    async fetchOnce(token) {
      const opened = openFileToken(keys, token);
      // A token this server did not sign never reaches the database.
      if (!opened) return { refused: 'forged' };
      const claimed = await withPartner(db, opened.partnerId, async (tx) => {
        const file = await claimPublishedFile(tx, opened.partnerId, opened.hash);
        await pruneExpiredFiles(tx, opened.partnerId);
        return file;
      });
      return claimed ? { file: claimed } : { refused: 'gone' };
    },
  };
}
