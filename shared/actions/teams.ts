import { z } from 'zod';

/**
 * Inputs and outputs of Microsoft Teams' actions: proactive bot messages through the Bot
 * Framework service (`POST {serviceUrl}/v3/conversations`, vendor-apis.md §7; msteams-docs
 * send-proactive-messages.md and bots-conv-proactive.md).
 */

/** Teams renders the text (markdown); a message is capped well below Teams' ~28 KB message size. */
export const teamsMaxTextLength = 4000;

const guid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const messageText = z
  .string('Text must be text')
  .trim()
  .min(1, 'Text is required')
  .max(teamsMaxTextLength, `Text must be at most ${teamsMaxTextLength.toLocaleString('en-US')} characters`);

/** A channel's conversation id as Teams gives it: `19:…@thread.tacv2` (older teams: `@thread.skype`). */
export const teamsChannelIdSchema = z
  .string('Channel id must be text')
  .trim()
  .max(200, 'Channel id must be at most 200 characters')
  .regex(/^19:[A-Za-z0-9_\-.]+@thread\.(?:tacv2|skype)$/, 'Channel id looks like 19:…@thread.tacv2 (in Teams: the channel › Get link to channel, the part after /channel/, decoded)');

/** A Teams user id for bots: `29:…` (what Teams sends the bot as `from.id`). */
export const teamsUserIdSchema = z
  .string('User id must be text')
  .trim()
  .max(400, 'User id must be at most 400 characters')
  .regex(/^29:[A-Za-z0-9_\-.=+/]+$/, "User id is the Teams user id the bot received (29:…)");

const tenantGuid = z.string('Tenant id must be text').trim().regex(guid, 'Tenant id is the Directory (tenant) ID, a GUID');

/** `teams.messages.post_to_channel`: a new thread in a channel of a team the app is installed in. */
export const teamsPostToChannelInput = z.strictObject({
  channelId: teamsChannelIdSchema,
  text: messageText,
  /** The team's id (its General channel's id), sent as `channelData.team.id` when given. */
  teamId: teamsChannelIdSchema.optional(),
  /** The tenant the team belongs to; default: the integration's tenant when it is a GUID. */
  tenantId: tenantGuid.optional(),
});
export const teamsPostToChannelOutput = z.object({
  /** The new thread's conversation id (`19:…@thread.tacv2;messageid=…`): replies go there. */
  conversationId: z.string(),
  activityId: z.string().nullable(),
});

/** `teams.messages.send_dm`: a one-on-one message from the bot to one user. */
export const teamsSendDmInput = z.strictObject({
  userId: teamsUserIdSchema,
  text: messageText,
  /** The user's tenant; default: the integration's tenant when it is a GUID. */
  tenantId: tenantGuid.optional(),
});
export const teamsSendDmOutput = z.object({
  /** The personal chat's conversation id (`a:…`), the same for every message to the user. */
  conversationId: z.string(),
  activityId: z.string().nullable(),
});
