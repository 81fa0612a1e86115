import type { ZodError } from 'zod';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import { keepsStoredSecret, type SettingsView } from '../../../shared/integrations/fields.js';
import type { StoredSettings } from '../../db/integrationConfigs.js';
import { redactSecrets as redactText } from '../../integrations/http/redactSecrets.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import type { PluginSettings } from '../../integrations/types.js';
import { isStoredSecret, secretAad, type SecretCipher } from '../../secrets/cipher.js';

const fieldKeyPattern = /^[a-z][a-z0-9_]{0,47}$/;

/** Per-field messages under `settings.<field>`, as the form shows them. */
export function settingsFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  const add = (path: string, message: string) => (fields[path] ??= []).push(message);
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // A key that could be a field key is named; anything else (a pasted value?) is not echoed.
      for (const key of issue.keys) add(fieldKeyPattern.test(key) ? `settings.${key}` : 'settings', 'Unknown field');
    } else {
      add(['settings', ...issue.path.map(String)].join('.'), issue.message);
    }
  }
  return fields;
}

const invalidSettings = (fields: FieldErrors) => new AppError('VALIDATION_FAILED', 'Some settings are not valid', { fields });

const scope = (integration: RegisteredIntegration, partnerId: number, fieldKey: string) =>
  secretAad({ partnerId, integrationKey: integration.entry.key, fieldKey });

/** Decrypts one stored secret of this partner's configuration. */
export function decryptSecret(cipher: SecretCipher, integration: RegisteredIntegration, partnerId: number, fieldKey: string, value: unknown): string | undefined {
  return isStoredSecret(value) ? cipher.decrypt(value, scope(integration, partnerId, fieldKey)) : undefined;
}

export function encryptSecret(cipher: SecretCipher, integration: RegisteredIntegration, partnerId: number, fieldKey: string, plaintext: string) {
  return cipher.encrypt(plaintext, scope(integration, partnerId, fieldKey));
}

/**
 * Stored settings as clients see them. Only fields of the current specs appear (an allow-list:
 * a stale or unknown stored key is never echoed), and each secret is `{isSet, last4}`.
 */
export function settingsView(integration: RegisteredIntegration, stored: StoredSettings): SettingsView {
  const view: SettingsView = {};
  for (const field of integration.entry.fields) {
    const value = stored[field.key];
    if (field.kind === 'Secret') {
      view[field.key] = isStoredSecret(value) ? { isSet: true, last4: value.last4 } : { isSet: false, last4: null };
    } else if (typeof value === 'string' || typeof value === 'boolean') {
      view[field.key] = value;
    }
  }
  return view;
}

/** Stored settings as the plugin needs them: spec fields only, secrets decrypted (in memory only). */
export function pluginSettings(cipher: SecretCipher, integration: RegisteredIntegration, partnerId: number, stored: StoredSettings): PluginSettings {
  const plain: PluginSettings = {};
  for (const field of integration.entry.fields) {
    const value = stored[field.key];
    if (field.kind === 'Secret') plain[field.key] = decryptSecret(cipher, integration, partnerId, field.key, value);
    else if (typeof value === 'string' || typeof value === 'boolean') plain[field.key] = value;
  }
  return plain;
}

export interface ResolvedSettings {
  /** The settings the plugin sees: submitted values, kept secrets decrypted. */
  plain: PluginSettings;
  /** Secret fields whose stored value stays (mask, blank or omitted on an edit). */
  keptSecrets: string[];
}

/**
 * Validates submitted settings and merges them with the stored ones: with nothing stored every
 * required field must be given; on an edit a secret sent as the mask, blank or not at all keeps
 * its stored value. Then the plugin's own cross-field rules apply. Any problem is a 400 with
 * per-field messages; nothing is written here.
 */
export function resolveSettings(
  cipher: SecretCipher,
  integration: RegisteredIntegration,
  partnerId: number,
  input: unknown,
  stored: StoredSettings | undefined,
): ResolvedSettings {
  const parsed = integration.schemas[stored ? 'update' : 'create'].safeParse(input);
  if (!parsed.success) throw invalidSettings(settingsFieldErrors(parsed.error));
  const values = parsed.data as Record<string, string | boolean | undefined>;

  const plain: PluginSettings = {};
  const keptSecrets: string[] = [];
  const fields: FieldErrors = {};
  for (const field of integration.entry.fields) {
    const value = values[field.key];
    if (field.kind === 'Secret' && keepsStoredSecret(value)) {
      const kept = stored ? decryptSecret(cipher, integration, partnerId, field.key, stored[field.key]) : undefined;
      if (kept !== undefined) {
        plain[field.key] = kept;
        keptSecrets.push(field.key);
      } else if (field.required) {
        fields[`settings.${field.key}`] = [`${field.label} is required`];
      }
    } else if (value !== undefined && value !== '') {
      plain[field.key] = value;
    }
  }
  for (const [key, messages] of Object.entries(integration.plugin.validate(plain) ?? {})) {
    (fields[`settings.${key}`] ??= []).push(...messages);
  }
  if (Object.keys(fields).length) throw invalidSettings(fields);
  return { plain, keptSecrets };
}

/**
 * Replaces any secret value of `plain` found in a text (a vendor error message, say) before it
 * is stored, returned or logged: a plugin that echoes a credential must not leak it.
 */
export function redactSecrets(text: string, integration: RegisteredIntegration, plain: PluginSettings): string {
  const secrets = [...integration.secretFields].map((key) => plain[key]).filter((v): v is string => typeof v === 'string');
  return redactText(text, secrets);
}
