import type { FieldSpec } from '../../../shared/integrations/fields.js';

/** The API login: one word (it is generated in the MBS console, not the portal admin's e-mail). */
export const apiLoginRegex = '^\\S+$';
const apiLoginRe = new RegExp(apiLoginRegex);

/** MSP360 documents 3–100 characters for the password of `POST /api/Provider/Login`. */
export const apiPasswordRegex = '^.{3,100}$';
const apiPasswordRe = new RegExp(apiPasswordRegex);

export const msp360Fields: FieldSpec[] = [
  {
    key: 'api_login',
    label: 'API login',
    kind: 'Text',
    required: true,
    maxLength: 100,
    help: 'The API login from the MSP360 Managed Backup console (Settings › General › API credentials), not your portal sign-in.',
    pattern: { regex: apiLoginRegex, message: 'The API login is a single word without spaces' },
  },
  {
    key: 'api_password',
    label: 'API password',
    kind: 'Secret',
    required: true,
    maxLength: 100,
    help: 'The API password shown next to the API login. Changing it in MSP360 expires the old one: enter the new one here.',
    pattern: { regex: apiPasswordRegex, message: 'The API password has 3 to 100 characters on one line' },
  },
  {
    // The legacy MSPBackups feature's switch, carried over by the migration (docs/msp360-migration.md).
    key: 'enabled',
    label: 'MSPBackups enabled',
    kind: 'Bool',
    required: false,
    default: true,
    help: 'Off pauses the MSPBackups page for your partner; the credentials are kept. Not set means on.',
  },
];

/** Whether the MSPBackups feature is on: only an explicit `false` turns it off. */
export const msp360Enabled = (value: unknown): boolean => value !== false;

export function apiLoginProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'API login is required';
  const text = value.trim();
  if (text.length > 100) return 'The API login is at most 100 characters';
  if (!apiLoginRe.test(text)) return 'The API login is a single word without spaces';
  return null;
}

/** Never echoes the password. */
export function apiPasswordProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'API password is required';
  if (!apiPasswordRe.test(value)) return 'The API password has 3 to 100 characters on one line';
  return null;
}
