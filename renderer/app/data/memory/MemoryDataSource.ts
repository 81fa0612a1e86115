import type { LoginInput } from '../../../../shared/auth.js';
import { AppError } from '../../../../shared/errors.js';
import type { IntegrationDetail, IntegrationState, IntegrationSummary } from '../../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { AuditPage, DataSource, DeleteOutcome, ReadScope, SaveConfigurationInput, SaveOutcome } from '../DataSource.js';
import { serverUrlSchema } from '../../../../shared/desktopSettings.js';
import type { AppState, ApplySummary, AuditPageRequest, ConnectionTestResult, DataTopic, Draft, FieldChoice, FleetMatrix, HealthHistoryData, PartnerRef, Session, SyncStatus } from '../types.js';
import { checkSchema, maskSettings, mergeSettings, replacedSecrets } from './memoryRules.js';
import { fixturePassword, fixtureUsers } from './partnerFixtures.js';
import { pushDraft, resolveDraft } from './memoryPush.js';
import { MemoryBase } from './MemoryBase.js';
import { timeWeightedUptime } from './uptime.js';
import { scopeKey } from './world.js';

export type { MemoryOptions } from './MemoryBase.js';

const notConfigured: IntegrationState = {
  status: 'Not Configured', health: 'unknown', lastHealthCheck: null, lastOkAt: null,
  consecutiveFailures: 0, errorMessage: null, version: null, updatedAt: null,
};

/** The core's refusal to edit or discard a change that is queued (drafts.ts). */
const onItsWay = (what: string) => AppError.fromBody({ code: 'CONFLICT', message: `This change is ${what}; wait for its result` });
const unreachable = () => AppError.fromBody({ code: 'UNAVAILABLE', message: 'Can’t reach the Integration Center server. Check your network connection and try again.' });

/**
 * A DataSource over fixture data held in memory: the component tests and the dev preview use
 * it. It behaves like the desktop core (drafts when offline or in review mode, conflicts on a
 * stale base, server-side validation) so screens can be exercised without a server.
 */
export class MemoryDataSource extends MemoryBase implements DataSource {
  // ---- controls for the preview and tests (not part of DataSource) ----

  /** Simulates losing or regaining the network; coming back pulls and pushes queued drafts. */
  async setOnline(online: boolean): Promise<void> {
    this.online = online;
    this.emit('sync');
    if (online) await this.pushAll(this.world.drafts.filter((d) => d.state === 'queued'));
  }

  // ---- app and session ----

  async getAppState(): Promise<AppState> {
    await this.wait();
    return this.appState;
  }

  async setServerUrl(serverUrl: string): Promise<AppState> {
    await this.wait();
    const parsed = serverUrlSchema.safeParse(serverUrl);
    if (!parsed.success) throw AppError.fromBody({ code: 'VALIDATION_FAILED', message: 'Check the server address.', fields: { serverUrl: parsed.error.issues.map((i) => i.message) } });
    if (this.session) throw AppError.fromBody({ code: 'CONFLICT', message: 'Sign out before changing the server' });
    this.appState = { ...this.appState, serverUrl: parsed.data, needsServerUrl: false };
    this.emit('session');
    return this.appState;
  }

  async getSession() {
    await this.wait();
    return this.session;
  }

  async login(input: LoginInput): Promise<Session> {
    await this.wait();
    if (!this.online) throw unreachable();
    if (this.failedLogins >= 5) {
      throw AppError.fromBody({ code: 'RATE_LIMITED', message: 'Too many sign-in attempts.' }, 60);
    }
    const user = fixtureUsers.find((u) => u.email === input.email.trim().toLowerCase());
    if (!user || input.password !== fixturePassword) {
      this.failedLogins++;
      throw AppError.fromBody({ code: 'UNAUTHORIZED', message: 'Email or password is incorrect.' });
    }
    this.failedLogins = 0;
    this.session = { user, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString() };
    this.appState = { ...this.appState, endedSession: null };
    this.emit('session');
    return this.session;
  }

  async logout(force = false) {
    // Drafts belong to the admin who wrote them (a technician's copy of the data has none).
    const admin = this.session?.user.role === 'partner_admin';
    const pending = admin ? this.world.drafts.filter((d) => d.partnerId === this.session?.user.partnerId).length : 0;
    if (pending > 0 && !force) {
      throw AppError.fromBody({ code: 'CONFLICT', message: `${pending} unsent change${pending === 1 ? '' : 's'} would be lost`, details: { pendingDrafts: pending } });
    }
    if (force && admin) this.world.drafts = this.world.drafts.filter((d) => d.partnerId !== this.session?.user.partnerId);
    this.session = null;
    this.emit('session');
  }

  // ---- reads ----

  async listIntegrations(scope?: ReadScope): Promise<IntegrationSummary[]> {
    await this.wait();
    const partner = this.partner(scope);
    return this.world.catalog.map(({ fields: _fields, ...entry }) => ({ ...entry, state: partner.configs[entry.key]?.state ?? notConfigured }));
  }

  async getIntegration(key: string, scope?: ReadScope): Promise<IntegrationDetail> {
    await this.wait();
    const entry = this.entry(key);
    const config = this.partner(scope).configs[key];
    return { ...entry, state: config?.state ?? notConfigured, settings: config ? maskSettings(entry.fields, config.settings) : null };
  }

  async getHealthHistory(key: string, scope?: ReadScope): Promise<HealthHistoryData> {
    await this.wait();
    const samples = this.world.history.get(scopeKey(this.partner(scope).id, key)) ?? [];
    return { samples, uptimePercent: timeWeightedUptime(samples, new Date()) };
  }

  async listAudit(key: string, page: AuditPageRequest, scope?: ReadScope): Promise<AuditPage> {
    await this.wait();
    const all = this.world.audit.get(scopeKey(this.partner(scope).id, key)) ?? [];
    const after = page.cursor === null ? all : all.filter((e) => e.id < Number(page.cursor));
    const entries = after.slice(0, page.limit);
    const last = entries.at(-1);
    return { entries, nextCursor: after.length > page.limit && last ? String(last.id) : null };
  }

  // ---- mutations ----

  async saveConfiguration(input: SaveConfigurationInput): Promise<SaveOutcome> {
    await this.wait();
    const partner = this.adminPartner();
    const entry = this.entry(input.key);
    checkSchema(entry, input.settings, input.mode);
    const existing = this.world.drafts.find((d) => d.partnerId === partner.id && d.key === input.key);
    if (existing?.state === 'queued' || existing?.state === 'pushing') throw onItsWay('waiting to be sent');
    if (!this.online || this.reviewMode || existing) {
      return { outcome: 'drafted', draft: this.view(this.writeDraft(partner, entry, input, existing)) };
    }
    const draft = this.writeDraft(partner, entry, input, undefined);
    const result = pushDraft(this.world, partner, draft, this.actor());
    this.emit('catalog');
    this.emit('drafts');
    if (result === 'applied') return { outcome: 'applied', detail: await this.getIntegration(input.key) };
    if (result === 'conflict') return { outcome: 'drafted', draft: this.view(draft) };
    // Online, a refused save is an error in the form, not a draft left behind.
    this.world.drafts = this.world.drafts.filter((d) => d !== draft);
    this.emit('drafts');
    this.emit('sync');
    throw AppError.fromBody(draft.error ?? { code: 'BAD_REQUEST', message: 'The server refused the change.' });
  }

  async deleteIntegration(key: string, baseVersion: number | null): Promise<DeleteOutcome> {
    await this.wait();
    const partner = this.adminPartner();
    const draft = this.newDraft(partner, key, 'delete', null, [], baseVersion, partner.configs[key]?.settings ?? null);
    if (!this.online || this.reviewMode) return { outcome: 'drafted', draft: this.view(draft) };
    const result = pushDraft(this.world, partner, draft, this.actor());
    this.emit('catalog');
    this.emit('drafts');
    return result === 'applied' ? { outcome: 'applied' } : { outcome: 'drafted', draft: this.view(draft) };
  }

  async testConnection(key: string, settings: SettingsInput | null): Promise<ConnectionTestResult> {
    await this.wait();
    const partner = this.adminPartner();
    if (!this.online) throw unreachable();
    const entry = this.entry(key);
    const config = partner.configs[key];
    const checkedAt = this.nowIso();
    if (settings) {
      const merged = mergeSettings(entry.fields, config?.settings ?? null, settings);
      const bad = Object.values(merged).some((v) => typeof v === 'string' && v.includes('bad'));
      return bad
        ? { health: 'error', message: `${entry.provider} rejected the credentials (401 Unauthorized).`, checkedAt }
        : { health: 'ok', message: `Connected to ${entry.provider}.`, checkedAt };
    }
    if (!config) throw AppError.fromBody({ code: 'NOT_FOUND', message: `${entry.name} is not configured yet.` });
    const ok = config.state.status !== 'Error';
    const before = config.state;
    config.state = { ...config.state, lastHealthCheck: checkedAt, ...(ok ? { lastOkAt: checkedAt, status: 'Active', health: 'ok' } : {}) };
    // As the server: a transition gets its one health_changed row, whoever tested; then the test's own row.
    if (before.status !== config.state.status || before.health !== config.state.health) {
      this.appendAudit(partner.id, key, { action: 'health_changed', details: { fromStatus: before.status, toStatus: config.state.status, health: config.state.health } });
    }
    this.appendAudit(partner.id, key, { action: 'tested', details: { health: config.state.health, ...(config.state.errorMessage ? { message: config.state.errorMessage } : {}) } });
    this.emit('catalog');
    return { health: config.state.health, message: ok ? `Connected to ${entry.provider}.` : config.state.errorMessage, checkedAt };
  }

  // ---- drafts ----

  async listDrafts(): Promise<Draft[]> {
    await this.wait();
    const partner = this.ownPartner();
    return this.world.drafts.filter((d) => d.partnerId === partner.id).map((d) => this.view(d));
  }

  async updateDraft(id: string, settings: SettingsInput): Promise<Draft> {
    await this.wait();
    const partner = this.adminPartner();
    const draft = this.draft(id);
    if (draft.state === 'queued' || draft.state === 'pushing') throw onItsWay('waiting to be sent');
    const entry = this.entry(draft.key);
    checkSchema(entry, settings, draft.baseSettings || draft.settings ? 'update' : 'create');
    draft.settings = mergeSettings(entry.fields, draft.settings ?? partner.configs[draft.key]?.settings ?? null, settings);
    draft.replaced = [...new Set([...draft.replaced, ...replacedSecrets(entry.fields, settings)])];
    if (draft.state === 'rejected') draft.state = 'draft';
    draft.error = null;
    draft.updatedAt = this.nowIso();
    this.emit('drafts');
    return this.view(draft);
  }

  async discardDraft(id: string): Promise<void> {
    await this.wait();
    this.adminPartner();
    // Like the core: a queued change may already be on its way, so it cannot be taken back.
    const state = this.draft(id).state;
    if (state === 'queued' || state === 'pushing') throw onItsWay('being sent');
    this.world.drafts = this.world.drafts.filter((d) => d.id !== id);
    this.emit('drafts');
    this.emit('sync');
  }

  async applyDrafts(ids: string[] | 'all'): Promise<ApplySummary> {
    await this.wait();
    const partner = this.adminPartner();
    const targets = this.world.drafts.filter(
      (d) => d.partnerId === partner.id && (ids === 'all' || ids.includes(d.id)) && (d.state === 'draft' || d.state === 'queued'),
    );
    for (const d of targets) d.state = 'queued';
    this.emit('drafts');
    if (!this.online) {
      this.emit('sync');
      return { applied: 0, queued: targets.length, conflicts: 0, rejected: 0 };
    }
    return this.pushAll(targets);
  }

  async resolveConflict(id: string, choices: Record<string, FieldChoice>): Promise<Draft | null> {
    await this.wait();
    const partner = this.adminPartner();
    const draft = this.draft(id);
    if (Object.keys(choices).length > 0 && Object.values(choices).every((c) => c === 'server')) {
      // Keeping the server's value everywhere leaves nothing to send: the draft goes.
      this.world.drafts = this.world.drafts.filter((d) => d !== draft);
      this.emit('drafts');
      this.emit('sync');
      return null;
    }
    resolveDraft(this.entry(draft.key), draft, partner.configs[draft.key], choices, this.nowIso());
    this.emit('drafts');
    this.emit('sync');
    return this.view(draft);
  }

  // ---- sync ----

  async getSyncStatus(): Promise<SyncStatus> {
    const mine = this.session ? this.world.drafts.filter((d) => d.partnerId === this.session?.user.partnerId) : [];
    return {
      connection: this.online ? 'online' : 'offline',
      lastSyncedAt: this.lastSyncedAt,
      activity: this.activity,
      pendingCount: mine.length,
      conflictCount: mine.filter((d) => d.state === 'conflict').length,
      reviewMode: this.reviewMode,
      lastError: this.online ? null : 'Network unreachable',
    };
  }

  async setReviewMode(on: boolean) {
    this.reviewMode = on;
    this.emit('sync');
  }

  async syncNow() {
    if (!this.online) throw unreachable();
    this.activity = { phase: 'pulling' };
    this.emit('sync');
    await this.wait();
    this.activity = { phase: 'idle' };
    this.lastSyncedAt = this.nowIso();
    this.emit('sync');
    this.emit('catalog');
  }

  // ---- dev partner ----

  async listPartners(): Promise<PartnerRef[]> {
    await this.wait();
    this.devOnly();
    return this.world.partners.map(({ id, name, isDev }) => ({ id, name, isDev }));
  }

  async getFleetMatrix(): Promise<FleetMatrix> {
    await this.wait();
    this.devOnly();
    const partners = this.world.partners.map(({ id, name, isDev }) => ({ id, name, isDev }));
    const integrations = this.world.catalog.map(({ key, name }) => ({ key, name }));
    const cells = this.world.partners.flatMap((p) =>
      this.world.catalog.map((e) => {
        const s = p.configs[e.key]?.state ?? notConfigured;
        return { partnerId: p.id, integrationKey: e.key, status: s.status, health: s.health, errorMessage: s.errorMessage };
      }),
    );
    return { partners, integrations, cells, asOf: this.lastSyncedAt, complete: true };
  }

  subscribe(listener: (topic: DataTopic) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
