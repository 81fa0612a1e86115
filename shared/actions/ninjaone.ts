import { z } from 'zod';

/**
 * Inputs and outputs of NinjaOne's actions. Paths, fields and bodies: vendor-apis.md §3 and
 * NinjaOne's published API document (shared/vendor-specs/ninjaone-openapi.yml). Ids are int32 in
 * the document and travel as text here.
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number');
const numericId = (what: string) => z.coerce.string(`${what} id must be text`).trim().regex(/^\d{1,10}$/, `${what} id is the number NinjaOne gives it`);

export const ninjaDeviceSchema = z.object({
  id: z.string(),
  uid: z.string().nullable(),
  displayName: z.string().nullable(),
  systemName: z.string().nullable(),
  dnsName: z.string().nullable(),
  nodeClass: z.string().nullable(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  locationId: z.string().nullable(),
  offline: z.boolean().nullable(),
  approvalStatus: z.string().nullable(),
  /** ISO 8601, from NinjaOne's epoch seconds. */
  lastContact: z.string().nullable(),
});
export type NinjaDeviceSummary = z.infer<typeof ninjaDeviceSchema>;

export const ninjaAlertSchema = z.object({
  uid: z.string(),
  deviceId: z.string().nullable(),
  subject: z.string().nullable(),
  message: z.string().nullable(),
  sourceType: z.string().nullable(),
  sourceName: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

/** `ninjaone.devices.find`: devices of the client's mapped organizations (`GET /v2/organization/{id}/devices`). */
export const ninjaDevicesFindInput = z.strictObject({
  clientId,
  /** Only devices whose name contains this text (compared here: NinjaOne's list takes no name filter). */
  query: z.string('Query must be text').trim().min(1, 'Query must not be empty').max(100, 'Query is at most 100 characters').optional(),
  offline: z.boolean('Offline is true or false').optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(500, 'Limit is at most 500').default(100),
});
export const ninjaDevicesFindOutput = z.object({ devices: z.array(ninjaDeviceSchema), truncated: z.boolean() });

/** `ninjaone.devices.get`: one device (`GET /v2/device/{id}`). */
export const ninjaDevicesGetInput = z.strictObject({ deviceId: numericId('Device') });
export const ninjaDevicesGetOutput = z.object({ device: ninjaDeviceSchema });

/** `ninjaone.alerts.list`: active alerts (`GET /v2/alerts`), optionally of one device. */
export const ninjaAlertsListInput = z.strictObject({
  deviceId: numericId('Device').optional(),
  sourceType: z.string('Source type must be text').trim().regex(/^[A-Z][A-Z0-9_]{0,79}$/, 'Source type is one of NinjaOne’s names, e.g. CONDITION_AGENT_CPU').optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(500, 'Limit is at most 500').default(100),
});
export const ninjaAlertsListOutput = z.object({ alerts: z.array(ninjaAlertSchema), truncated: z.boolean() });

/** `ninjaone.devices.scripting_options`: scripts, built-in actions and credential roles of a device. */
export const ninjaScriptingOptionsInput = z.strictObject({
  deviceId: numericId('Device'),
  lang: z.string('Language must be text').trim().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, 'Language is a tag such as en or en-US').optional(),
});
export const ninjaScriptingOptionsOutput = z.object({
  categories: z.array(z.object({ id: z.string().nullable(), name: z.string().nullable() })),
  scripts: z.array(
    z.object({
      type: z.enum(['SCRIPT', 'ACTION']).nullable(),
      /** A custom script's id (type SCRIPT). */
      id: z.string().nullable(),
      /** A built-in action's uuid (type ACTION). */
      uid: z.string().nullable(),
      name: z.string().nullable(),
      language: z.string().nullable(),
      description: z.string().nullable(),
      categoryId: z.string().nullable(),
    }),
  ),
  credentialRoles: z.array(z.string()),
  credentials: z.array(z.object({ id: z.string().nullable(), name: z.string().nullable(), type: z.string().nullable() })),
});

/** `runAs`: a role NinjaOne names, or a numeric credential id [M: NJ-PS Invoke-NinjaOneDeviceScript.ps1]. */
export const runAsRoles = ['system', 'loggedonuser', 'SR_MAC_SCRIPT', 'SR_LINUX_SCRIPT', 'SR_LOCAL_ADMINISTRATOR', 'SR_DOMAIN_ADMINISTRATOR'] as const;
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `ninjaone.devices.run_script` (side-effectful): `POST /v2/device/{id}/script/run` with
 * RunScriptRequest [H: NJ-OAS]: type SCRIPT with `id` (a script), or ACTION with `uid` (a
 * built-in action). The other identifier is refused, so what runs is never ambiguous.
 */
export const ninjaRunScriptInput = z
  .strictObject({
    /** The client whose device it is: the device must belong to one of its mapped organizations. */
    clientId: clientId.optional(),
    deviceId: numericId('Device'),
    type: z.enum(['SCRIPT', 'ACTION'], 'Type is SCRIPT (a custom script, by id) or ACTION (a built-in action, by uid)'),
    id: z.coerce.number('Script id must be a number').int('Script id must be a whole number').positive('Script id must be positive').max(2_147_483_647, 'Script id is too large').optional(),
    uid: z.string('Action uid must be text').trim().optional(),
    parameters: z.string('Parameters must be text').max(10_000, 'Parameters are at most 10,000 characters').optional(),
    runAs: z
      .string('Run as must be text')
      .trim()
      .refine((v) => (runAsRoles as readonly string[]).includes(v) || /^\d{1,10}$/.test(v), `Run as is one of ${runAsRoles.join(', ')} or a credential id`)
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.type === 'SCRIPT') {
      if (input.id === undefined) ctx.addIssue({ code: 'custom', path: ['id'], message: 'A SCRIPT needs the script id (id)' });
      if (input.uid !== undefined) ctx.addIssue({ code: 'custom', path: ['uid'], message: 'A SCRIPT is chosen by id; uid is for built-in actions (type ACTION)' });
    } else {
      if (input.uid === undefined) ctx.addIssue({ code: 'custom', path: ['uid'], message: 'An ACTION needs the built-in action uid' });
      else if (!uuidRe.test(input.uid)) ctx.addIssue({ code: 'custom', path: ['uid'], message: 'The action uid is a UUID, e.g. 8f2b1e4a-0c1d-4e5f-9a8b-7c6d5e4f3a21' });
      if (input.id !== undefined) ctx.addIssue({ code: 'custom', path: ['id'], message: 'An ACTION is chosen by uid; id is for custom scripts (type SCRIPT)' });
    }
  });
export const ninjaRunScriptOutput = z.object({
  /** NinjaOne accepted the run (204); the script runs on the device afterwards. */
  accepted: z.literal(true),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  type: z.enum(['SCRIPT', 'ACTION']),
  scriptId: z.string().nullable(),
  actionUid: z.string().nullable(),
});
