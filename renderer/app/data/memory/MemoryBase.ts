import { AppError } from '../../../../shared/errors.js';
import type { AuditEntry, CatalogEntry } from '../../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { ReadScope, SaveConfigurationInput } from '../DataSource.js';
import type { AppState, ApplySummary, DataTopic, Draft, Session, SyncActivity } from '../types.js';
import { mergeSettings, replacedSecrets } from './memoryRules.js';
import { fixtureUsers, type PartnerFixture, type StoredConfig } from './partnerFixtures.js';
import { appendAudit, pushDraft } from './memoryPush.js';
import { createWorld, draftView, type MemoryDraft, type MemoryWorld } from './world.js';

export interface MemoryOptions {
  /** Email of a fixture user to start signed in as; null/omitted starts at the login screen. */
  signedInAs?: string | null;
  online?: boolean;
  reviewMode?: boolean;
  /** Delay on every call, so the preview shows loading states; 0 in tests. */
  latencyMs?: number;
  withDrafts?: boolean;
  now?: Date;
  /** First run: no server address chosen yet. */
  firstRun?: boolean;
  /** Start at sign-in because this user's session ended (their cache and drafts are kept). */
  sessionEndedFor?: string | null;
}

/**
 * The in-memory source's state and plumbing: the fixture world, session, connection, change
 * notifications, permission checks and the push loop. MemoryDataSource adds the DataSource API.
 */
export abstract class MemoryBase {
  protected readonly world: MemoryWorld;
  protected readonly listeners = new Set<(topic: DataTopic) => void>();
  protected session: Session | null;
  protected online: boolean;
  protected reviewMode: boolean;
  protected activity: SyncActivity = { phase: 'idle' };
  protected lastSyncedAt: string;
  protected failedLogins = 0;
  protected readonly latencyMs: number;
  protected appState: AppState;

  constructor(options: MemoryOptions = {}) {
    const now = options.now ?? new Date();
    this.world = createWorld(now, options.withDrafts ?? true);
    this.online = options.online ?? true;
    this.reviewMode = options.reviewMode ?? false;
    this.latencyMs = options.latencyMs ?? 0;
    this.lastSyncedAt = new Date(now.getTime() - (this.online ? 60_000 : 47 * 60_000)).toISOString();
    const user = fixtureUsers.find((u) => u.email === options.signedInAs);
    this.session = user ? { user, expiresAt: new Date(now.getTime() + 8 * 3600_000).toISOString() } : null;
    const ended = fixtureUsers.find((u) => u.email === options.sessionEndedFor);
    this.appState = {
      serverUrl: options.firstRun ? null : 'https://integrations.example.com',
      needsServerUrl: options.firstRun ?? false,
      serverUrlEditable: true,
      endedSession: ended ? { email: ended.email, displayName: ended.displayName } : null,
      tokenStorageNote: null,
      shell: 'preview',
    };
  }

  protected async pushAll(targets: MemoryDraft[]): Promise<ApplySummary> {
    const summary: ApplySummary = { applied: 0, queued: 0, conflicts: 0, rejected: 0 };
    const partner = this.ownPartner();
    for (const [i, draft] of targets.entries()) {
      this.activity = { phase: 'pushing', done: i, total: targets.length };
      draft.state = 'pushing';
      this.emit('sync');
      this.emit('drafts');
      await this.wait();
      const result = pushDraft(this.world, partner, draft, this.actor());
      if (result === 'applied') summary.applied++;
      else if (result === 'conflict') summary.conflicts++;
      else summary.rejected++;
    }
    this.activity = { phase: 'idle' };
    this.lastSyncedAt = this.nowIso();
    for (const topic of ['sync', 'drafts', 'catalog'] as const) this.emit(topic);
    return summary;
  }

  protected writeDraft(partner: PartnerFixture, entry: CatalogEntry, input: SaveConfigurationInput, existing: MemoryDraft | undefined): MemoryDraft {
    const current = partner.configs[entry.key];
    if (existing) {
      existing.settings = mergeSettings(entry.fields, existing.settings ?? current?.settings ?? null, input.settings);
      existing.replaced = [...new Set([...existing.replaced, ...replacedSecrets(entry.fields, input.settings)])];
      existing.updatedAt = this.nowIso();
      if (existing.state === 'rejected') existing.state = 'draft';
      this.emit('drafts');
      return existing;
    }
    const settings = mergeSettings(entry.fields, current?.settings ?? null, input.settings);
    const action = current ? 'reconfigure' : 'configure';
    return this.newDraft(partner, entry.key, action, settings, replacedSecrets(entry.fields, input.settings), input.baseVersion, current?.settings ?? null);
  }

  protected newDraft(partner: PartnerFixture, key: string, action: MemoryDraft['action'], settings: SettingsInput | null, replaced: string[], baseVersion: number | null, baseSettings: SettingsInput | null): MemoryDraft {
    const now = this.nowIso();
    const draft: MemoryDraft = { id: `d-${this.world.nextId++}`, partnerId: partner.id, key, action, settings, replaced, baseVersion, baseSettings, state: 'draft', error: null, conflict: null, createdAt: now, updatedAt: now };
    this.world.drafts.push(draft);
    this.emit('drafts');
    this.emit('sync');
    return draft;
  }

  protected appendAudit(partnerId: number, key: string, row: Pick<AuditEntry, 'action' | 'details'>) {
    appendAudit(this.world, partnerId, key, this.actor(), row);
  }

  protected view(draft: MemoryDraft): Draft {
    const partner = this.world.partners.find((p) => p.id === draft.partnerId);
    return draftView(this.world, draft, partner?.configs[draft.key] as StoredConfig | undefined);
  }

  protected entry(key: string): CatalogEntry {
    const entry = this.world.catalog.find((e) => e.key === key);
    if (!entry) throw AppError.fromBody({ code: 'NOT_FOUND', message: `There is no integration called “${key}”.` });
    return entry;
  }

  protected draft(id: string): MemoryDraft {
    const draft = this.world.drafts.find((d) => d.id === id && d.partnerId === this.ownPartner().id);
    if (!draft) throw AppError.fromBody({ code: 'NOT_FOUND', message: 'That draft no longer exists.' });
    return draft;
  }

  protected ownPartner(): PartnerFixture {
    return this.partner(undefined);
  }

  protected partner(scope: ReadScope | undefined): PartnerFixture {
    const user = this.session?.user;
    if (!user) throw AppError.fromBody({ code: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again.' });
    const id = scope?.partnerId ?? user.partnerId;
    if (id !== user.partnerId && !user.isDev) throw AppError.fromBody({ code: 'FORBIDDEN', message: 'Only the platform operator can view other partners.' });
    const partner = this.world.partners.find((p) => p.id === id);
    if (!partner) throw AppError.fromBody({ code: 'NOT_FOUND', message: 'Unknown partner.' });
    return partner;
  }

  protected adminPartner(): PartnerFixture {
    const partner = this.ownPartner();
    if (this.session?.user.role !== 'partner_admin') throw AppError.fromBody({ code: 'FORBIDDEN', message: 'Only partner admins can change integrations.' });
    return partner;
  }

  protected devOnly() {
    if (!this.session?.user.isDev) throw AppError.fromBody({ code: 'FORBIDDEN', message: 'Only the platform operator can see the fleet.' });
  }

  protected actor() {
    const user = this.session?.user;
    return { name: user?.displayName ?? 'system', userId: user?.id ?? null, at: this.nowIso() };
  }

  protected nowIso() {
    return new Date().toISOString();
  }

  protected emit(topic: DataTopic) {
    for (const listener of this.listeners) listener(topic);
  }

  protected wait(): Promise<void> {
    return this.latencyMs > 0 ? new Promise((r) => setTimeout(r, this.latencyMs)) : Promise.resolve();
  }
}
