import { teamsPostToChannelInput, teamsPostToChannelOutput, teamsSendDmInput, teamsSendDmOutput } from '../../../../shared/actions/teams.js';
import { defineAction } from '../../actions.js';
import type { ConversationParameters } from '../client.js';
import { openRun, sendFailure, tenantFor, withToken, type TeamsActionDeps } from './call.js';

/**
 * A new thread in a channel: `POST {serviceUrl}/v3/conversations` with `isGroup: true`,
 * `channelData.channel.id` and the message as `activity` → 201 `{id, activityId}` [H: vendor-apis.md
 * §7; msteams-docs bots-conv-proactive.md "Creating a channel conversation"]. The tenant goes in
 * `channelData.tenant.id` and `tenantId` as the HTTP example there sends it, the team when given.
 */
export function teamsPostToChannelAction(deps: TeamsActionDeps) {
  return defineAction({
    id: 'teams.messages.post_to_channel',
    label: 'Post a message to a Teams channel',
    description: 'Starts a new thread in a channel as the bot. The app must be installed in the channel\'s team.',
    sideEffectful: true,
    clientScoped: false,
    input: teamsPostToChannelInput,
    output: teamsPostToChannelOutput,
    async run(ctx, input) {
      const run = openRun(ctx, deps);
      const tenant = tenantFor(run, input.tenantId);
      const params: ConversationParameters = {
        isGroup: true,
        channelData: { channel: { id: input.channelId }, ...(input.teamId ? { team: { id: input.teamId } } : {}), tenant: { id: tenant } },
        activity: { type: 'message', text: input.text },
        tenantId: tenant,
      };
      try {
        const created = await withToken(run, (token) => deps.api.createConversation(run.call, token, params));
        return { output: { conversationId: created.id, activityId: created.activityId ?? null } };
      } catch (error) {
        throw sendFailure(error, { kind: 'channel', id: input.channelId });
      }
    },
  });
}

/**
 * A one-on-one message: `POST {serviceUrl}/v3/conversations` with exactly one member and the
 * tenant → 201 `{id: "a:…"}` (the personal chat, the same for every call), then the message to it
 * with `POST {serviceUrl}/v3/conversations/{id}/activities` → 201 `{id}` [H: vendor-apis.md §7;
 * msteams-docs bots-conv-proactive.md "Examples" (create, then SendToConversation)].
 */
export function teamsSendDmAction(deps: TeamsActionDeps) {
  return defineAction({
    id: 'teams.messages.send_dm',
    label: 'Send a Teams message to a user',
    description: 'Sends the user a one-on-one message from the bot. The app must be installed for the user (or in a team they are in), and the user must not have blocked it.',
    sideEffectful: true,
    clientScoped: false,
    input: teamsSendDmInput,
    output: teamsSendDmOutput,
    async run(ctx, input) {
      const run = openRun(ctx, deps);
      const tenant = tenantFor(run, input.tenantId);
      const target = { kind: 'user', id: input.userId } as const;
      const params: ConversationParameters = {
        isGroup: false,
        members: [{ id: input.userId }],
        channelData: { tenant: { id: tenant } },
        tenantId: tenant,
      };
      try {
        const chat = await withToken(run, (token) => deps.api.createConversation(run.call, token, params));
        const sent = await withToken(run, (token) => deps.api.sendToConversation(run.call, token, chat.id, { type: 'message', text: input.text }));
        return { output: { conversationId: chat.id, activityId: sent.id ?? null } };
      } catch (error) {
        throw sendFailure(error, target);
      }
    },
  });
}
