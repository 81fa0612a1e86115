import { z } from 'zod';
import { SECRET_MASK, secretViewSchema } from './integrations/fields.js';

// The legacy MSPBackups API (`/api/mspbackups/…`), which partners used before the Integration
// Center and still use: its shapes are a contract to keep while MSP360 moves into the catalog
// (docs/msp360-migration.md). The partner is always the caller's, from the token.

/** `GET /api/mspbackups/config`: the partner's settings, the password masked. */
export const mspBackupsConfigSchema = z.object({
  apiLogin: z.string(),
  apiPassword: secretViewSchema,
  enabled: z.boolean(),
});
export type MspBackupsConfig = z.infer<typeof mspBackupsConfigSchema>;

/** An API password given as '', null, left out or sent back as the mask keeps the stored one. */
export const keepsMspBackupsPassword = (value: string | null | undefined): boolean =>
  value === undefined || value === null || value === '' || value === SECRET_MASK;

/**
 * `PUT /api/mspbackups/config` (partner admins): creates or replaces the settings. The login is
 * the MBS console's API login (one word); `enabled` left out keeps the stored switch (on for a
 * new configuration). Unknown keys are refused, so a `partnerId` in a body is a 400.
 */
export const mspBackupsConfigInputSchema = z.strictObject({
  apiLogin: z
    .string({ error: (issue) => (issue.input === undefined ? 'API login is required' : 'API login must be text') })
    .trim()
    .min(1, 'API login is required')
    .max(100, 'The API login is at most 100 characters')
    .regex(/^\S*$/, 'The API login is a single word without spaces'),
  apiPassword: z
    .string({ error: 'API password must be text' })
    .nullable()
    .optional()
    .refine((v) => keepsMspBackupsPassword(v) || /^.{3,100}$/.test(v ?? ''), 'The API password has 3 to 100 characters on one line'),
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
});
export type MspBackupsConfigInput = z.input<typeof mspBackupsConfigInputSchema>;

/** `GET /api/mspbackups/companies`: the backup companies MSP360 lists for the saved API login. */
export const mspBackupsCompaniesSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type MspBackupsCompanies = z.infer<typeof mspBackupsCompaniesSchema>;
