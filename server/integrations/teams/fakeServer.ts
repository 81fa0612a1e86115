import { randomBytes } from 'node:crypto';
import { entraError as entraTokenError } from '../oauth2/testing/entraError.js';
import { FakeVendorHttp, type FakeRequest, type FakeResponse, type FaultSwitches } from '../fakeServerKit.js';

/**
 * One loopback server standing in for both Microsoft hosts the Teams plugin calls
 * (MICROSOFT_LOGIN_BASE_URL and TEAMS_SERVICE_URL both point at `origin`, VENDOR_EMULATORS=true):
 *
 * login.microsoftonline.com [vendor-apis.md §7]
 * - `POST /{tenant}/oauth2/v2.0/token`, form `grant_type=client_credentials&client_id&client_secret&scope`;
 *   `{tenant}` a tenant GUID or verified domain (single-tenant bot) or `botframework.com`
 *   (legacy multi-tenant bot) [M: ALGA teamsSetupValidationActions.ts];
 * - success: `{token_type: "Bearer", expires_in, ext_expires_in, access_token}` [M: §7];
 * - errors: `{"error","error_description":"AADSTSnnn: …","error_codes":[n],"timestamp","trace_id",
 *   "correlation_id","error_uri"}` [M: MS-ISS]; a bad secret is `invalid_client` AADSTS7000215 with
 *   HTTP 401 [L: MS-ISS phpSPO thread]; an app not in the directory asked (wrong tenant, or a
 *   single-tenant app at botframework.com) is `unauthorized_client` AADSTS700016, unknown tenant
 *   `invalid_request` AADSTS90002, both 400 [L: §7 "other codes usually come back as 400"; H:
 *   learn.microsoft.com entra reference-error-codes for what 700016 means].
 *
 * The Bot Framework service (smba.trafficmanager.net/{teams,amer,emea,apac}/) [H: §7; msteams-docs
 * send-proactive-messages.md, bots-conv-proactive.md]
 * - any region prefix, then `POST /v3/conversations` and `POST /v3/conversations/{id}/activities`;
 * - `Authorization: Bearer` with a token this fake issued and has not expired or dropped, else 401
 *   `{"message":"Authorization has been denied for this request."}` (fake's choice of body);
 * - a channel: `isGroup: true`, `channelData.channel.id`, `activity` required → 201 `{id, activityId}`;
 *   one user: exactly one member plus the tenant → 201 `{id: "a:…"}` (the same id every time);
 *   more members (a group chat) → 400 `BadSyntax` [H: §7];
 * - 403 `BotNotInConversationRoster` ("The bot is not part of the conversation roster.") where the
 *   app is not installed; 403 `ConversationBlockedByUser`; 403 `BotDisabledByAdmin`; 401
 *   `BotNotRegistered`; 404 `ConversationNotFound`; 429 `Throttled` [H: §7]; 403
 *   `{"errorCode":209,"message":"{\"subCode\": \"MessageWritesBlocked\", …}"}` for writes to a user
 *   who blocked or uninstalled the bot after the chat existed [H: msteams-docs
 *   send-proactive-messages.md "Understand who blocked, muted, or uninstalled a bot"].
 *
 * Fake's choices where the sources are silent: error bodies `{"error":{"code","message"}}`; which
 * call a block shows on (create → ConversationBlockedByUser, send → MessageWritesBlocked); ids.
 * Fault switches are keyed by tenant: the token path's tenant segment, and for the service the
 * tenant of the channel or user addressed.
 */

export interface FakeTeamsApp {
  appId: string;
  secret: string;
  type: 'single_tenant' | 'multi_tenant';
  /** The tenant (GUID) its registration lives in. */
  homeTenant: string;
  /** False: no Azure Bot resource / Teams channel for it (401 BotNotRegistered). Default true. */
  registered?: boolean;
}
export interface FakeTeamsTenant {
  id: string;
  domains?: string[];
  /** Apps the tenant admin disabled (403 BotDisabledByAdmin). */
  disabledApps?: string[];
}
export interface FakeTeamsTeam {
  tenant: string;
  teamId: string;
  channels: string[];
  /** Apps installed in the team. */
  apps: string[];
}
export interface FakeTeamsUser {
  tenant: string;
  userId: string;
  /** Apps installed for the user (personal scope). */
  apps: string[];
  /** Apps the user blocked before any chat (create → 403 ConversationBlockedByUser). */
  blocked?: string[];
  /** Apps whose writes are blocked (send → 403 MessageWritesBlocked). */
  writesBlocked?: string[];
}
export interface FakeTeamsPost {
  appId: string;
  tenant: string;
  conversationId: string;
  activityId: string;
  text: string;
  channelId?: string;
  userId?: string;
}

export interface FakeTeams {
  /** MICROSOFT_LOGIN_BASE_URL and TEAMS_SERVICE_URL for this fake. */
  readonly origin: string;
  addTenant(tenant: FakeTeamsTenant): void;
  addApp(app: FakeTeamsApp): void;
  addTeam(team: FakeTeamsTeam): void;
  addUser(user: FakeTeamsUser): void;
  /** The tenant admin disables an app (or allows it again). */
  disableApp(tenant: string, appId: string, disabled?: boolean): void;
  /** "Token expires early": every token issued so far is refused by the service from now on. */
  expireTokens(): void;
  /** `expires_in` of the tokens issued from now on (default 3599). */
  setTokenLifetime(seconds: number): void;
  /** Token requests received (refused ones included), optionally for one app. */
  tokenRequests(appId?: string): number;
  /** Tokens issued, optionally for one app. */
  tokensIssued(appId?: string): number;
  /** Bot Framework requests as received (path without the region, Authorization, JSON body), oldest first. */
  serviceRequests(): { region: string; path: string; authorization: string | undefined; body: unknown }[];
  /** Messages accepted, filtered by channel or user. */
  posts(filter?: { channelId?: string; userId?: string }): FakeTeamsPost[];
  setFaults(patch: Partial<FaultSwitches>, tenant?: string): void;
  resetFaults(): void;
  requestCount(filter?: { path?: string; tenant?: string }): number;
  /** Forgets counts, posts and tokens issued (registrations stay). */
  resetCounts(): void;
  close(): Promise<void>;
}

const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const servicePath = /^(?:\/[a-z]+)?(\/v3\/conversations(?:\/([^/]+)\/activities)?)$/;
const botFrameworkScope = 'https://api.botframework.com/.default';

export async function startFakeTeams(options: { port?: number } = {}): Promise<FakeTeams> {
  const tenants = new Map<string, Required<FakeTeamsTenant>>();
  const apps = new Map<string, Required<FakeTeamsApp>>();
  const channels = new Map<string, FakeTeamsTeam>();
  const users = new Map<string, Required<FakeTeamsUser>>();
  const tokens = new Map<string, { appId: string; expiresAt: number }>();
  /** Personal chats: `a:…` → user, per app and user. */
  const chats = new Map<string, { appId: string; userId: string }>();
  const posted: FakeTeamsPost[] = [];
  const received: { region: string; path: string; authorization: string | undefined; body: unknown }[] = [];
  const tokenRequestsByApp = new Map<string, number>();
  const issuedByApp = new Map<string, number>();
  let lifetime = 3599;

  const tenantOf = (name: string) => [...tenants.values()].find((t) => t.id === name.toLowerCase() || t.domains.includes(name.toLowerCase()));

  const fake = new FakeVendorHttp({
    name: 'Microsoft',
    identify(req, url, body) {
      const login = tokenPath.exec(url.pathname);
      if (login) return { tenant: decodeURIComponent(login[1] as string).toLowerCase(), path: '/oauth2/v2.0/token' };
      const service = servicePath.exec(url.pathname);
      if (!service) return { status: 404, json: { error: { code: 'NotFound', message: 'Not found' } } };
      return { tenant: serviceTenant(url.pathname, body), path: service[1] as string };
    },
    route: (req) => (req.path === '/oauth2/v2.0/token' ? token(req) : service(req)),
    errorBody(status) {
      if (status === 429) return { status, json: { error: { code: 'Throttled', message: 'Too many requests.' } } };
      if (status === 401) return { status, json: { message: 'Authorization has been denied for this request.' } };
      if (status === 403) return { status, json: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } };
      return { status, json: { error: { code: 'ServiceError', message: 'The service is unavailable.' } } };
    },
  });
  await fake.start(options.port);

  /** The tenant a service request is about (for per-tenant switches): the channel's or the user's. */
  function serviceTenant(pathname: string, body: string): string | undefined {
    const id = servicePath.exec(pathname)?.[2];
    if (id) {
      const conversation = decodeURIComponent(id);
      const chat = chats.get(conversation);
      if (chat) return users.get(chat.userId)?.tenant;
      return channels.get(conversation.split(';')[0] as string)?.tenant;
    }
    try {
      const params = JSON.parse(body) as { channelData?: { channel?: { id?: string }; tenant?: { id?: string } }; tenantId?: string };
      return params.channelData?.channel?.id ? channels.get(params.channelData.channel.id)?.tenant : (params.tenantId ?? params.channelData?.tenant?.id);
    } catch {
      return undefined;
    }
  }

  /** Bot Framework's samples show the description on one line. */
  const entraError = (status: number, error: string, code: number, text: string) => entraTokenError(status, error, code, text, ' ');

  function token(req: FakeRequest): FakeResponse {
    if (req.method !== 'POST') return { status: 405, json: { error: 'invalid_request' } };
    const form = new URLSearchParams(req.body);
    const appId = (form.get('client_id') ?? '').toLowerCase();
    tokenRequestsByApp.set(appId, (tokenRequestsByApp.get(appId) ?? 0) + 1);
    const tenantName = req.tenant ?? '';
    const multi = tenantName === 'botframework.com';
    const tenant = multi ? undefined : tenantOf(tenantName);
    if (!multi && !tenant) {
      return entraError(400, 'invalid_request', 90002, `Tenant '${tenantName}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (form.get('grant_type') !== 'client_credentials') return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const app = apps.get(appId);
    // A single-tenant app exists only in its home tenant; a multi-tenant one also at botframework.com.
    const found = app && (multi ? app.type === 'multi_tenant' : app.homeTenant === tenant?.id);
    if (!app || !found) {
      return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${appId}' was not found in the directory '${multi ? 'Bot Framework' : tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    if (form.get('client_secret') !== app.secret || req.faults.badCredentials) {
      return entraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`);
    }
    if (form.get('scope') !== botFrameworkScope) return entraError(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.`);
    const value = `fake-bf-${randomBytes(24).toString('base64url')}`;
    tokens.set(value, { appId, expiresAt: Date.now() + lifetime * 1000 });
    issuedByApp.set(appId, (issuedByApp.get(appId) ?? 0) + 1);
    return { status: 200, json: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: value } };
  }

  const bfError = (status: number, code: string, message: string): FakeResponse => ({ status, json: { error: { code, message } } });

  function service(req: FakeRequest): FakeResponse {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body);
    } catch {
      parsed = req.body;
    }
    received.push({ region: req.rawPath.slice(0, req.rawPath.indexOf('/v3/')), path: req.path, authorization: req.headers.authorization, body: parsed });
    if (req.method !== 'POST') return { status: 405, json: { message: 'The requested resource does not support the method.' } };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = bearer ? tokens.get(bearer) : undefined;
    if (!issued || issued.expiresAt <= Date.now() || req.faults.badCredentials) return { status: 401, json: { message: 'Authorization has been denied for this request.' } };
    const app = apps.get(issued.appId);
    if (!app?.registered) return bfError(401, 'BotNotRegistered', 'The bot is not registered with the Bot Framework.');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return bfError(400, 'BadSyntax', 'The request body could not be read.');
    }
    const conversationId = servicePath.exec(req.path)?.[2];
    return conversationId === undefined ? createConversation(app, body) : sendActivity(app, decodeURIComponent(conversationId), body);
  }

  const disabledIn = (tenant: string, appId: string) => tenants.get(tenant)?.disabledApps.includes(appId) ?? false;
  const activityId = () => String(Date.now()) + String(Math.floor(Math.random() * 1000)).padStart(3, '0');

  function createConversation(app: Required<FakeTeamsApp>, body: Record<string, unknown>): FakeResponse {
    const channelData = (body.channelData ?? {}) as { channel?: { id?: string }; tenant?: { id?: string } };
    const members = Array.isArray(body.members) ? (body.members as { id?: unknown }[]) : [];
    if (body.isGroup === true) {
      const channelId = channelData.channel?.id;
      const activity = body.activity as { type?: string; text?: string } | undefined;
      if (!channelId || members.length) return bfError(400, 'BadSyntax', 'Incorrect conversation creation parameters');
      if (!activity || activity.type !== 'message' || typeof activity.text !== 'string') return bfError(400, 'BadArgument', 'Activity is required to create a conversation in a channel');
      const team = channels.get(channelId);
      if (!team) return bfError(404, 'ConversationNotFound', 'Conversation not found.');
      if (disabledIn(team.tenant, app.appId)) return bfError(403, 'BotDisabledByAdmin', 'The bot is disabled by the tenant admin.');
      if (!team.apps.includes(app.appId)) return bfError(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
      const id = activityId();
      const conversationId = `${channelId};messageid=${id}`;
      posted.push({ appId: app.appId, tenant: team.tenant, conversationId, activityId: id, text: activity.text, channelId });
      return { status: 201, json: { id: conversationId, activityId: id } };
    }
    const tenantId = (typeof body.tenantId === 'string' ? body.tenantId : undefined) ?? channelData.tenant?.id;
    if (members.length !== 1 || typeof members[0]?.id !== 'string') return bfError(400, 'BadSyntax', 'Incorrect conversation creation parameters');
    if (!tenantId) return bfError(400, 'BadArgument', 'Tenant id is required');
    const user = users.get(members[0].id);
    if (!user || user.tenant !== tenantId.toLowerCase()) return bfError(404, 'ConversationNotFound', 'Conversation not found.');
    if (disabledIn(user.tenant, app.appId)) return bfError(403, 'BotDisabledByAdmin', 'The bot is disabled by the tenant admin.');
    if (user.blocked.includes(app.appId)) return bfError(403, 'ConversationBlockedByUser', 'User blocked the conversation with the bot.');
    if (!user.apps.includes(app.appId)) return bfError(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
    const id = `a:${Buffer.from(`${app.appId}|${user.userId}`).toString('base64url')}`;
    chats.set(id, { appId: app.appId, userId: user.userId });
    return { status: 201, json: { id } };
  }

  function sendActivity(app: Required<FakeTeamsApp>, conversationId: string, body: Record<string, unknown>): FakeResponse {
    if (body.type !== 'message' || typeof body.text !== 'string') return bfError(400, 'BadArgument', 'Unsupported activity');
    const chat = chats.get(conversationId);
    if (chat && chat.appId === app.appId) {
      const user = users.get(chat.userId) as Required<FakeTeamsUser>;
      if (disabledIn(user.tenant, app.appId)) return bfError(403, 'BotDisabledByAdmin', 'The bot is disabled by the tenant admin.');
      if (user.writesBlocked.includes(app.appId) || user.blocked.includes(app.appId)) {
        return { status: 403, json: { errorCode: 209, message: '{\r\n  "subCode": "MessageWritesBlocked",\r\n  "details": "Thread is blocked from message writes.",\r\n  "errorCode": null,\r\n  "errorSubCode": null\r\n}' } };
      }
      const id = activityId();
      posted.push({ appId: app.appId, tenant: user.tenant, conversationId, activityId: id, text: body.text, userId: user.userId });
      return { status: 201, json: { id } };
    }
    const channelId = conversationId.split(';')[0] as string;
    const team = channels.get(channelId);
    if (!team) return bfError(404, 'ConversationNotFound', 'Conversation not found.');
    if (disabledIn(team.tenant, app.appId)) return bfError(403, 'BotDisabledByAdmin', 'The bot is disabled by the tenant admin.');
    if (!team.apps.includes(app.appId)) return bfError(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
    const id = activityId();
    posted.push({ appId: app.appId, tenant: team.tenant, conversationId, activityId: id, text: body.text, channelId });
    return { status: 201, json: { id } };
  }

  const count = (m: Map<string, number>, key?: string) => (key === undefined ? [...m.values()].reduce((a, b) => a + b, 0) : (m.get(key.toLowerCase()) ?? 0));

  return {
    origin: fake.origin,
    addTenant: (t) => tenants.set(t.id.toLowerCase(), { id: t.id.toLowerCase(), domains: (t.domains ?? []).map((d) => d.toLowerCase()), disabledApps: [...(t.disabledApps ?? [])] }),
    addApp: (a) => apps.set(a.appId.toLowerCase(), { ...a, appId: a.appId.toLowerCase(), homeTenant: a.homeTenant.toLowerCase(), registered: a.registered ?? true }),
    addTeam(team) {
      const t = { ...team, tenant: team.tenant.toLowerCase() };
      for (const channel of [team.teamId, ...team.channels]) channels.set(channel, t);
    },
    addUser: (u) => users.set(u.userId, { ...u, tenant: u.tenant.toLowerCase(), blocked: u.blocked ?? [], writesBlocked: u.writesBlocked ?? [] }),
    disableApp(tenant, appId, disabled = true) {
      const t = tenants.get(tenant.toLowerCase());
      if (!t) throw new Error(`no tenant ${tenant}`);
      t.disabledApps = disabled ? [...t.disabledApps, appId.toLowerCase()] : t.disabledApps.filter((a) => a !== appId.toLowerCase());
    },
    expireTokens() {
      for (const issued of tokens.values()) issued.expiresAt = 0;
    },
    setTokenLifetime(seconds) {
      lifetime = seconds;
    },
    tokenRequests: (appId) => count(tokenRequestsByApp, appId),
    tokensIssued: (appId) => count(issuedByApp, appId),
    serviceRequests: () => [...received],
    posts: (filter = {}) => posted.filter((p) => (filter.channelId === undefined || p.channelId === filter.channelId) && (filter.userId === undefined || p.userId === filter.userId)),
    setFaults: (patch, tenant) => fake.setFaults(patch, tenant?.toLowerCase()),
    resetFaults: () => fake.resetFaults(),
    requestCount: (filter) => fake.requestCount(filter),
    resetCounts() {
      fake.resetCounts();
      posted.length = 0;
      received.length = 0;
      tokenRequestsByApp.clear();
      issuedByApp.clear();
    },
    close: () => fake.close(),
  };
}
