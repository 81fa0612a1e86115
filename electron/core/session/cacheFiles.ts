import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

function digest(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** One server URL however it is typed: lowercase host, no trailing slash. */
export function normaliseServerUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The prefix shared by every cache file of one user on one server (logout removes them all). */
export function userCachePrefix(serverUrl: string, userId: number): string {
  return `cache-${digest(normaliseServerUrl(serverUrl), userId).slice(0, 16)}-`;
}

/**
 * One database file per server + user + partner. The name is a hash, so the directory listing
 * does not reveal who uses the machine or which partners they looked at.
 */
export function cacheFileName(serverUrl: string, userId: number, partnerId: number): string {
  return `${userCachePrefix(serverUrl, userId)}${digest(normaliseServerUrl(serverUrl), userId, partnerId).slice(0, 12)}.sqlite`;
}

/** Deletes every cache file of a user, with SQLite's WAL and shared-memory companions. */
export async function deleteUserCaches(dataDir: string, serverUrl: string, userId: number): Promise<string[]> {
  const prefix = userCachePrefix(serverUrl, userId);
  const names = (await readdir(dataDir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  await Promise.all(names.map((n) => rm(path.join(dataDir, n), { force: true })));
  return names;
}
