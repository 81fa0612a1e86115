import { z } from 'zod';

/**
 * Inputs and outputs of Level's actions (issue 17). Paths and fields: shared/vendor-apis.md §6.
 * Level's ids are opaque strings; they travel as text and are only checked for shape here.
 * A webhook trigger's token is a secret: no output here has a place for it.
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number');
/**
 * Level ids are opaque words; their format is not documented, so letters, digits and `- _ = + . :`
 * are accepted, never a `.`/`..` segment or a slash: nothing else may reach a URL path.
 */
const levelId = (what: string) =>
  z
    .string(`${what} id must be text`)
    .trim()
    .min(1, `${what} id is required`)
    .max(200, `${what} id must be at most 200 characters`)
    .regex(/^(?!\.{1,2}$)[A-Za-z0-9_=+.:-]+$/, `${what} id is the id Level shows (letters, digits and - _ = + . : only)`);

export const levelDeviceSchema = z.object({
  id: z.string(),
  hostname: z.string().nullable(),
  nickname: z.string().nullable(),
  role: z.string().nullable(),
  platform: z.string().nullable(),
  groupId: z.string().nullable(),
  /** The group's path ("Parent / Child") when the group is known. */
  groupPath: z.string().nullable(),
  online: z.boolean().nullable(),
  lastSeenAt: z.string().nullable(),
  serialNumber: z.string().nullable(),
  tags: z.array(z.string()),
});
export type LevelDevice = z.infer<typeof levelDeviceSchema>;

export const levelAlertSeverities = ['information', 'warning', 'critical', 'emergency'] as const;
export const levelAlertSchema = z.object({
  id: z.string(),
  deviceId: z.string().nullable(),
  deviceHostname: z.string().nullable(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  /** Level's word (information, warning, critical, emergency), or another it may add. */
  severity: z.string().nullable(),
  resolved: z.boolean(),
  startedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type LevelAlert = z.infer<typeof levelAlertSchema>;

export const levelAutomationSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Whether the automation has a webhook trigger (the only way the API can start it). */
  hasWebhookTrigger: z.boolean(),
  /** Whether that trigger wants an authorization header (see the settings' "Webhook authorization header"). */
  webhookRequiresAuthorization: z.boolean(),
});

/** `levelio.devices.find`: the devices in the client's mapped groups and their subgroups, by text. */
export const levelDevicesFindInput = z.strictObject({
  clientId,
  /** Part of the hostname or nickname, any case. */
  query: z.string('Search text must be text').trim().max(200, 'Search text must be at most 200 characters').optional(),
  online: z.boolean('Online is true or false').optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(200, 'Limit is at most 200').default(50),
});
export const levelDevicesFindOutput = z.object({ devices: z.array(levelDeviceSchema), truncated: z.boolean() });

/** `levelio.devices.get`: one device (`GET /v2/devices/{id}`). */
export const levelDevicesGetInput = z.strictObject({ deviceId: levelId('Device') });
export const levelDevicesGetOutput = z.object({ device: levelDeviceSchema });

/** `levelio.alerts.list_active`: the active alerts of the client's devices. */
export const levelAlertsListActiveInput = z.strictObject({
  clientId,
  severity: z.enum(levelAlertSeverities, `Severity is one of: ${levelAlertSeverities.join(', ')}`).optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(200, 'Limit is at most 200').default(50),
});
export const levelAlertsListActiveOutput = z.object({ alerts: z.array(levelAlertSchema), truncated: z.boolean() });

/** `levelio.automations.list`: every automation and whether the API can trigger it. */
export const levelAutomationsListInput = z.strictObject({});
export const levelAutomationsListOutput = z.object({ automations: z.array(levelAutomationSchema), truncated: z.boolean() });

/** `levelio.alerts.resolve` (side-effectful): `POST /v2/alerts/{id}/resolve` (*verify*: third-party sources only). */
export const levelAlertsResolveInput = z.strictObject({ alertId: levelId('Alert') });
export const levelAlertsResolveOutput = z.object({ alertId: z.string(), resolved: z.boolean(), alert: levelAlertSchema.nullable() });

/**
 * `levelio.automations.trigger` (side-effectful): the automation's webhook trigger,
 * `POST /v2/automations/webhooks/{token}` with optional `{device_ids}` (*verify*: third-party
 * sources only). With a client, every device must be in one of its mapped groups.
 */
export const levelAutomationsTriggerInput = z.strictObject({
  automationId: levelId('Automation'),
  clientId: clientId.optional(),
  deviceIds: z.array(levelId('Device'), 'Devices are a list of device ids').max(500, 'At most 500 devices at once').optional(),
});
export const levelAutomationsTriggerOutput = z.object({
  automationId: z.string(),
  automationName: z.string(),
  deviceIds: z.array(z.string()),
  /** The run Level started, when its answer names one. */
  runId: z.string().nullable(),
});
