import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { sessionUserSchema, type LoginInput, type SessionUser } from '../../../shared/auth.js';
import { AppError } from '../../../shared/errors.js';
import type { SessionStatus } from '../../../shared/localApi.js';
import { openCacheDatabase } from '../db/open.js';
import type { CacheDb } from '../db/types.js';
import { countPendingDrafts } from '../drafts/draftRows.js';
import { serverFailure } from '../errors.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { ServerAccess } from '../server/contract.js';
import { SyncEngine, type SyncEngineOptions } from '../sync/engine.js';
import type { SyncTransport } from '../sync/transport.js';
import { cacheFileName, deleteUserCaches, normaliseServerUrl } from './cacheFiles.js';
import type { ServerClient } from './serverClient.js';
import type { StoredToken, TokenStore } from './tokenStore.js';

export interface SessionOptions {
  dataDir: string;
  /** Null until the user chooses a server (first run of a packaged app). */
  serverUrl: string | null;
  tokenStore: TokenStore;
  secretBox: SecretBox;
  server: ServerClient;
  /** The transport for the open cache; `partnerId` is set when the dev partner views another partner. */
  createTransport(options: { getToken: () => string | null; partnerId?: number }): SyncTransport;
  openDatabase?: (file: string) => Promise<CacheDb>;
  engineOptions?: Partial<Omit<SyncEngineOptions, 'db' | 'box' | 'transport'>>;
  now?: () => Date;
  /** Something the UI shows changed (session, sync status, cached data). */
  onChange?: () => void;
}

export interface OpenCache {
  db: CacheDb;
  engine: SyncEngine;
  partnerId: number;
  /** The dev partner looking at another partner: reading only, no drafts. */
  readOnly: boolean;
}

/** Who was signed in last, kept beside the caches so they stay readable without a token. */
const profileSchema = z.object({ serverUrl: z.string(), user: sessionUserSchema, viewingPartnerId: z.number().int() });
type Profile = z.infer<typeof profileSchema>;

/**
 * The signed-in user and their open cache. The token stays here (main process / core) and is
 * handed only to the transport. An expired token leaves the cache and drafts in place: the user
 * signs in again and carries on. Logout deletes the user's caches, after asking if drafts remain.
 */
export class DesktopSession {
  readonly #o: SessionOptions;
  #serverUrl: string | null;
  #profile: Profile | null = null;
  #token: StoredToken | null = null;
  #cache: OpenCache | null = null;

  constructor(options: SessionOptions) {
    this.#o = options;
    this.#serverUrl = options.serverUrl ? normaliseServerUrl(options.serverUrl) : null;
  }

  /** The server this session talks to; null before the first-run choice. */
  get serverUrl(): string | null {
    return this.#serverUrl;
  }

  get dataDir(): string {
    return this.#o.dataDir;
  }

  /**
   * Points the session at another server (settings). Only while signed out: caches, drafts and
   * the token belong to one server. A user still stored for that server is restored.
   */
  async useServer(serverUrl: string): Promise<void> {
    this.assertCanChangeServer();
    this.#serverUrl = normaliseServerUrl(serverUrl);
    await this.restore();
    this.#o.onChange?.();
  }

  /** Refuses a server change while someone is signed in (or their cache is still open). */
  assertCanChangeServer(): void {
    if (this.#profile) throw new AppError('CONFLICT', 'Sign out before changing the server');
  }

  /** The server, or an error telling the user to choose one first. */
  #server(): string {
    if (!this.#serverUrl) throw new AppError('BAD_REQUEST', 'Choose the server first');
    return this.#serverUrl;
  }

  get #profileFile(): string {
    return path.join(this.#o.dataDir, 'profile.json');
  }

  #now(): Date {
    return this.#o.now?.() ?? new Date();
  }

  /** At launch: reopen the last user's cache (readable offline) and their token if still valid. */
  async restore(): Promise<void> {
    await mkdir(this.#o.dataDir, { recursive: true, mode: 0o700 });
    const profile = await this.#readProfile();
    if (!profile || !this.#serverUrl || profile.serverUrl !== this.#serverUrl) return;
    this.#profile = profile;
    const token = await this.#o.tokenStore.load();
    this.#token = token && token.serverUrl === this.#serverUrl && token.userId === profile.user.id ? token : null;
    await this.#openCache(profile.viewingPartnerId);
  }

  status(): SessionStatus {
    const user = this.#profile?.user ?? null;
    const authRequired = !this.#tokenValid() || (this.#cache?.engine.status().authRequired ?? false);
    return {
      state: !user ? 'signedOut' : authRequired ? 'expired' : 'signedIn',
      user,
      expiresAt: user ? (this.#token?.expiresAt ?? null) : null,
      serverUrl: this.#serverUrl,
      viewingPartnerId: this.#cache?.partnerId ?? null,
      readOnly: (this.#cache?.readOnly ?? false) || (user !== null && user.role !== 'partner_admin'),
      tokenStorage: this.#o.tokenStore.kind,
      tokenStorageNote: this.#o.tokenStore.note,
    };
  }

  /**
   * For the core's own server calls beyond sync (never exposed to the renderer): the token if
   * still valid, the user, and whose partner the open cache shows.
   */
  serverAccess(): ServerAccess | null {
    const profile = this.#profile;
    if (!profile) return null;
    return { token: this.#tokenValid() ? (this.#token?.token ?? null) : null, user: profile.user, viewingPartnerId: this.#cache?.partnerId ?? profile.viewingPartnerId };
  }

  /** The open cache, or an error telling the user to sign in first. */
  requireCache(): OpenCache {
    if (!this.#cache) throw new AppError('UNAUTHORIZED', 'Sign in to see your integrations');
    return this.#cache;
  }

  /**
   * The open cache when it shows the user's own partner, whatever their role: what the server
   * lets every user of a partner do on its own data (test the saved configuration).
   */
  requireOwnPartner(): OpenCache {
    const cache = this.requireCache();
    if (cache.readOnly) throw new AppError('FORBIDDEN', "Other partners' integrations are read-only");
    return cache;
  }

  /** The open cache when changes may be prepared in it: the user's own partner, as an admin. */
  requireWritable(): OpenCache {
    const cache = this.requireOwnPartner();
    // The server refuses them too; refusing here keeps a technician from preparing changes offline in vain.
    if (this.#profile?.user.role !== 'partner_admin') throw new AppError('FORBIDDEN', 'Only partner admins can change integrations');
    return cache;
  }

  async login(input: LoginInput): Promise<SessionStatus> {
    const serverUrl = this.#server();
    let result;
    try {
      result = await this.#o.server.login(input);
    } catch (error) {
      throw serverFailure(error, { offline: 'The server cannot be reached; your cached data stays available', unexpected: 'Signing in failed' });
    }
    const sameUser = this.#profile?.user.id === result.user.id;
    if (!sameUser) await this.#closeCache();
    this.#token = { token: result.token, expiresAt: result.expiresAt, serverUrl, userId: result.user.id };
    await this.#o.tokenStore.save(this.#token);
    this.#profile = { serverUrl, user: result.user, viewingPartnerId: sameUser ? (this.#profile?.viewingPartnerId ?? result.user.partnerId) : result.user.partnerId };
    await this.#writeProfile();
    if (this.#cache) this.#cache.engine.resumeAfterLogin();
    else await this.#openCache(this.#profile.viewingPartnerId);
    this.#o.onChange?.();
    return this.status();
  }

  /**
   * Signs out and deletes this user's caches. Pending drafts would be lost, so without `force`
   * the call is refused with their count; the UI asks and calls again with `force`.
   */
  async logout(force: boolean): Promise<SessionStatus> {
    const profile = this.#profile;
    if (profile) {
      const pending = await this.#pendingOwnDrafts(profile.user);
      if (pending > 0 && !force) {
        throw new AppError('CONFLICT', `${pending} unsent change${pending === 1 ? '' : 's'} would be lost`, { details: { pendingDrafts: pending } });
      }
      await this.#closeCache();
      await deleteUserCaches(this.#o.dataDir, profile.serverUrl, profile.user.id);
    }
    this.#profile = null;
    this.#token = null;
    await this.#o.tokenStore.clear();
    await rm(this.#profileFile, { force: true });
    this.#o.onChange?.();
    return this.status();
  }

  /** The dev partner looks at another partner's integrations (read-only), or back at its own. */
  async switchPartner(partnerId: number): Promise<SessionStatus> {
    const profile = this.#profile;
    if (!profile) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (partnerId !== profile.user.partnerId && !profile.user.isDev) throw new AppError('FORBIDDEN', 'Only the platform operator can look at other partners');
    await this.#closeCache();
    this.#profile = { ...profile, viewingPartnerId: partnerId };
    await this.#writeProfile();
    await this.#openCache(partnerId);
    this.#o.onChange?.();
    return this.status();
  }

  async close(): Promise<void> {
    await this.#closeCache();
  }

  #tokenValid(): boolean {
    return this.#token !== null && Date.parse(this.#token.expiresAt) > this.#now().getTime();
  }

  async #openCache(partnerId: number): Promise<void> {
    const profile = this.#profile;
    if (!profile) return;
    const file = path.join(this.#o.dataDir, cacheFileName(profile.serverUrl, profile.user.id, partnerId));
    const db = await (this.#o.openDatabase ?? openCacheDatabase)(file);
    const readOnly = partnerId !== profile.user.partnerId;
    const transport = this.#o.createTransport({
      // Expired tokens are not sent: the engine then waits for a new login instead of retrying.
      getToken: () => (this.#tokenValid() ? (this.#token?.token ?? null) : null),
      ...(readOnly ? { partnerId } : {}),
    });
    const engine = new SyncEngine({ ...this.#o.engineOptions, db, box: this.#o.secretBox, transport, onChange: () => this.#o.onChange?.() });
    this.#cache = { db, engine, partnerId, readOnly };
    engine.start();
  }

  async #closeCache(): Promise<void> {
    const cache = this.#cache;
    this.#cache = null;
    if (!cache) return;
    await cache.engine.stop();
    cache.db.close();
  }

  async #pendingOwnDrafts(user: SessionUser): Promise<number> {
    if (this.#cache && !this.#cache.readOnly) return countPendingDrafts(this.#cache.db);
    const file = path.join(this.#o.dataDir, cacheFileName(this.#server(), user.id, user.partnerId));
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (!exists) return 0;
    const db = await (this.#o.openDatabase ?? openCacheDatabase)(file);
    try {
      return countPendingDrafts(db);
    } finally {
      db.close();
    }
  }

  async #readProfile(): Promise<Profile | null> {
    try {
      const parsed = profileSchema.safeParse(JSON.parse(await readFile(this.#profileFile, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async #writeProfile(): Promise<void> {
    await writeFile(this.#profileFile, JSON.stringify(this.#profile), { mode: 0o600 });
  }
}
