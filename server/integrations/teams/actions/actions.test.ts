import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition } from '../../actions.js';
import { actionContext } from '../../test/actionContext.js';
import { startReplayServer, type ReplayAnswer } from '../../test/replayServer.js';
import { teamsExamples } from '../examples.js';
import { startFakeTeams, type FakeTeams } from '../fakeServer.js';
import { createTeamsPlugin, type TeamsPlugin } from '../index.js';

const logs = captureLogs();
const tenant = '11111111-2222-4333-8444-555555555555';
const appId = 'aaaaaaaa-0000-4000-8000-000000000001';
const secret = 'S3cr~et.value_single-tenant-0123456789';
const settings = { tenant_id: tenant, app_id: appId, client_secret: secret, bot_type: 'single_tenant', service_region: 'emea' };
const general = '19:generalchannel0001@thread.tacv2';
const alerts = '19:alertschannel0002@thread.tacv2';
const elsewhere = '19:otherteamchannel03@thread.tacv2';
const alice = '29:1AliceUserIdForBots-abc';
const bob = '29:1BobBlockedTheBot-def';
const carol = '29:1CarolNeverInstalled-ghi';
const dave = '29:1DaveBlockedWrites-jkl';

let fake: FakeTeams;
let plugin: TeamsPlugin;

beforeAll(async () => {
  fake = await startFakeTeams();
  plugin = createTeamsPlugin({ actionTimeoutMs: 3_000, messageRateLimit: { perMinute: 60_000, burst: 1_000 }, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, requestTimeoutMs: 1_000, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});
beforeEach(() => {
  fake.addTenant({ id: tenant, domains: ['contoso.onmicrosoft.com'] });
  fake.addApp({ appId, secret, type: 'single_tenant', homeTenant: tenant });
  fake.addTeam({ tenant, teamId: general, channels: [alerts], apps: [appId] });
  fake.addTeam({ tenant, teamId: elsewhere, channels: [], apps: [] });
  fake.addUser({ tenant, userId: alice, apps: [appId] });
  fake.addUser({ tenant, userId: bob, apps: [appId], blocked: [appId] });
  fake.addUser({ tenant, userId: carol, apps: [] });
  fake.addUser({ tenant, userId: dave, apps: [appId], writesBlocked: [appId] });
  fake.resetCounts();
  fake.resetFaults();
});

function action(id: string): ActionDefinition<unknown, unknown> {
  const found = plugin.actions?.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition<unknown, unknown>;
}

/** One context, so its token source (kept in memory) serves every call made with it. */
function context(overrides: Record<string, string> = {}) {
  const env = { VENDOR_EMULATORS: 'true', MICROSOFT_LOGIN_BASE_URL: fake.origin, TEAMS_SERVICE_URL: fake.origin };
  return actionContext({ settings: { ...settings, ...overrides }, log: logs.log, env, auth: plugin.auth });
}

async function run(id: string, input: Record<string, unknown>, ctx = context()) {
  const definition = action(id);
  const outcome = await definition.run(ctx, definition.input.parse(input));
  return definition.output.parse(outcome.output) as Record<string, string | null>;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('teams.messages.post_to_channel', () => {
  it('sends the documented body with the bot token to the region chosen; 201 → conversation and activity ids', async () => {
    const out = await run('teams.messages.post_to_channel', { channelId: alerts, text: 'Backup failed on DF-FS01', teamId: general });
    const [request] = fake.serviceRequests();
    expect(request?.region).toBe('/emea');
    expect(request?.path).toBe('/v3/conversations');
    expect(request?.authorization).toMatch(/^Bearer fake-bf-/);
    expect(request?.body).toEqual({
      isGroup: true,
      channelData: { channel: { id: alerts }, team: { id: general }, tenant: { id: tenant } },
      activity: { type: 'message', text: 'Backup failed on DF-FS01' },
      tenantId: tenant,
    });
    const posts = fake.posts({ channelId: alerts });
    expect(posts.map((p) => p.text)).toEqual(['Backup failed on DF-FS01']);
    expect(out).toEqual({ conversationId: `${alerts};messageid=${posts[0]?.activityId}`, activityId: posts[0]?.activityId });
  });

  it('one token for several calls', async () => {
    const ctx = context();
    for (const text of ['one', 'two', 'three']) await run('teams.messages.post_to_channel', { channelId: general, text }, ctx);
    expect(fake.tokenRequests(appId)).toBe(1);
    expect(fake.posts({ channelId: general }).map((p) => p.text)).toEqual(['one', 'two', 'three']);
  });

  it('a token the service refuses (expired early): dropped, one new token, one successful retry, one message', async () => {
    const ctx = context();
    await run('teams.messages.post_to_channel', { channelId: general, text: 'before' }, ctx);
    fake.expireTokens();
    await run('teams.messages.post_to_channel', { channelId: general, text: 'after' }, ctx);
    expect(fake.tokenRequests(appId)).toBe(2);
    expect(fake.posts({ channelId: general }).map((p) => p.text)).toEqual(['before', 'after']);
    const auths = fake.serviceRequests().map((r) => r.authorization);
    expect(auths).toHaveLength(3);
    expect(auths[1]).toBe(auths[0]);
    expect(auths[2]).not.toBe(auths[1]);
  });

  it('a 401 that a new token does not cure: CONFLICT after exactly one retry', async () => {
    fake.setFaults({ badCredentials: true, paths: ['/v3/conversations'] });
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: general, text: 'x' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/refused the bot's token twice/);
    expect(fake.tokenRequests(appId)).toBe(2);
    expect(fake.requestCount({ path: '/v3/conversations' })).toBe(2);
  });

  it('403 BotNotInConversationRoster: the app is not installed in that team; nothing posted', async () => {
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: elsewhere, text: 'x' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/The app is not installed in the team of the channel .* \(add the app to the team in Teams first\)/);
    expect(error.details).toEqual({ vendorStatus: 403, vendorCode: 'BotNotInConversationRoster' });
    expect(fake.posts()).toEqual([]);
  });

  it('403 BotDisabledByAdmin: the tenant admin disabled the app', async () => {
    fake.disableApp(tenant, appId);
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: general, text: 'x' }));
    expect([error.code, error.message]).toEqual(['CONFLICT', expect.stringMatching(/tenant admin disabled the app/)]);
  });

  it('404 ConversationNotFound: check the channel id', async () => {
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: '19:nosuchchannel@thread.tacv2', text: 'x' }));
    expect([error.code, error.message]).toEqual(['CONFLICT', expect.stringMatching(/ConversationNotFound\): check the channel id/)]);
  });

  it('401 BotNotRegistered: no retry (no token cures it), the Azure Bot resource named', async () => {
    fake.addApp({ appId, secret, type: 'single_tenant', homeTenant: tenant, registered: false });
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: general, text: 'x' }));
    expect(error.message).toMatch(/BotNotRegistered.*Azure Bot resource/);
    expect(fake.tokenRequests(appId)).toBe(1);
  });

  it('429 Throttled with Retry-After: waited out by the vendor client, posted once', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 0 }, paths: ['/v3/conversations'] });
    await run('teams.messages.post_to_channel', { channelId: general, text: 'once' });
    expect(fake.requestCount({ path: '/v3/conversations' })).toBe(2);
    expect(fake.posts().map((p) => p.text)).toEqual(['once']);
  });

  it('a wrong secret: CONFLICT with the AADSTS7000215 advice, nothing sent to Teams', async () => {
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: general, text: 'x' }, context({ client_secret: 'wrong~secret.value-0123456789' })));
    expect([error.code, error.message]).toEqual(['CONFLICT', expect.stringMatching(/AADSTS7000215\): create a new client secret/)]);
    expect(fake.serviceRequests()).toEqual([]);
  });

  it('input: channel id shape and text length are checked before anything is sent', () => {
    const input = action('teams.messages.post_to_channel').input;
    expect(input.safeParse({ channelId: 'General', text: 'x' }).success).toBe(false);
    expect(input.safeParse({ channelId: general, text: 'x'.repeat(4001) }).success).toBe(false);
    expect(input.safeParse({ channelId: general, text: '   ' }).success).toBe(false);
  });

  it('a tenant given as a domain: the tenant GUID is asked for', async () => {
    const error = await refusal(run('teams.messages.post_to_channel', { channelId: general, text: 'x' }, context({ tenant_id: 'contoso.onmicrosoft.com' })));
    expect(error.message).toMatch(/needs the tenant's Directory \(tenant\) ID/);
    await run('teams.messages.post_to_channel', { channelId: general, text: 'x', tenantId: tenant }, context({ tenant_id: 'contoso.onmicrosoft.com' }));
    expect(fake.posts()).toHaveLength(1);
  });
});

describe('teams.messages.send_dm', () => {
  it('creates the personal chat with exactly one member and the tenant, then sends the message into it', async () => {
    const out = await run('teams.messages.send_dm', { userId: alice, text: 'Ticket #42 needs you' });
    const requests = fake.serviceRequests();
    expect(requests.map((r) => r.path)).toEqual(['/v3/conversations', `/v3/conversations/${encodeURIComponent(out.conversationId as string)}/activities`]);
    expect(requests[0]?.body).toEqual({ isGroup: false, members: [{ id: alice }], channelData: { tenant: { id: tenant } }, tenantId: tenant });
    expect(requests[1]?.body).toEqual({ type: 'message', text: 'Ticket #42 needs you' });
    expect(out.conversationId).toMatch(/^a:/);
    expect(fake.posts({ userId: alice }).map((p) => [p.text, p.activityId])).toEqual([['Ticket #42 needs you', out.activityId]]);
    expect(fake.tokenRequests(appId)).toBe(1);
  });

  it('403 ConversationBlockedByUser: the user blocked the bot', async () => {
    const error = await refusal(run('teams.messages.send_dm', { userId: bob, text: 'x' }));
    expect([error.code, error.message]).toEqual(['CONFLICT', expect.stringMatching(/The user blocked the bot/)]);
  });

  it('403 BotNotInConversationRoster for a user without the app: install it for them', async () => {
    const error = await refusal(run('teams.messages.send_dm', { userId: carol, text: 'x' }));
    expect(error.message).toMatch(/The app is not installed for the user/);
  });

  it('403 subCode MessageWritesBlocked on the send: blocked or uninstalled, nothing delivered', async () => {
    const error = await refusal(run('teams.messages.send_dm', { userId: dave, text: 'x' }));
    expect([error.code, error.message]).toEqual(['CONFLICT', expect.stringMatching(/MessageWritesBlocked\): the user blocked or uninstalled the app/)]);
    expect(fake.posts()).toEqual([]);
  });

  it('a token expiring between the two calls: one new token, the message sent once', async () => {
    const ctx = context();
    await run('teams.messages.send_dm', { userId: alice, text: 'first' }, ctx);
    fake.expireTokens();
    await run('teams.messages.send_dm', { userId: alice, text: 'second' }, ctx);
    expect(fake.tokenRequests(appId)).toBe(2);
    expect(fake.posts({ userId: alice }).map((p) => p.text)).toEqual(['first', 'second']);
  });
});

describe("the actions against Microsoft's documented bodies (replayed)", () => {
  async function replay(answers: Record<string, ReplayAnswer>, id: string, input: Record<string, unknown>) {
    const server = await startReplayServer({ [`POST /${tenant}/oauth2/v2.0/token`]: { status: 200, json: teamsExamples.token }, ...answers });
    try {
      const env = { VENDOR_EMULATORS: 'true', MICROSOFT_LOGIN_BASE_URL: server.origin, TEAMS_SERVICE_URL: server.origin };
      const ctx = actionContext({ settings, log: logs.log, env, auth: plugin.auth });
      const definition = action(id);
      const result = await definition.run(ctx, definition.input.parse(input)).then(
        (o) => definition.output.parse(o.output),
        (e: unknown) => e,
      );
      return { result, received: server.received };
    } finally {
      await server.close();
    }
  }

  it('channel: 201 {id, activityId}', async () => {
    const { result } = await replay({ 'POST /emea/v3/conversations': { status: 201, json: teamsExamples.channelConversation } }, 'teams.messages.post_to_channel', { channelId: general, text: 'x' });
    expect(result).toEqual({ conversationId: teamsExamples.channelConversation.id, activityId: teamsExamples.channelConversation.activityId });
  });

  it('DM: 201 {id: "a:…"}, then 201 {id}', async () => {
    const chat = teamsExamples.personalConversation.id;
    const { result, received } = await replay(
      { 'POST /emea/v3/conversations': { status: 201, json: teamsExamples.personalConversation }, [`POST /emea/v3/conversations/${encodeURIComponent(chat)}/activities`]: { status: 201, json: teamsExamples.activity } },
      'teams.messages.send_dm',
      { userId: alice, text: 'x' },
    );
    expect(result).toEqual({ conversationId: chat, activityId: teamsExamples.activity.id });
    expect(received).toHaveLength(3);
  });

  it('403 bodies: BotNotInConversationRoster and MessageWritesBlocked', async () => {
    const roster = await replay({ 'POST /emea/v3/conversations': { status: 403, json: teamsExamples.notInRoster } }, 'teams.messages.post_to_channel', { channelId: general, text: 'x' });
    expect((roster.result as AppError).message).toMatch(/add the app to the team in Teams first/);
    const blocked = await replay({ 'POST /emea/v3/conversations': { status: 403, json: teamsExamples.messageWritesBlocked } }, 'teams.messages.send_dm', { userId: alice, text: 'x' });
    expect((blocked.result as AppError).message).toMatch(/MessageWritesBlocked/);
  });
});
