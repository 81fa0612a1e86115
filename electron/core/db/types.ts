import type BetterSqlite3 from 'better-sqlite3';

/**
 * The cache database handle. Only the type is imported here: the native module is loaded by
 * `openCacheDatabase` when called, never at import time, so a better-sqlite3 built for another
 * ABI (Electron's) cannot break every module that merely imports the core.
 */
export type CacheDb = BetterSqlite3.Database;
