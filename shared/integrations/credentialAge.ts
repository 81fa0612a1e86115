import { z } from 'zod';
import { integrationKeyParamSchema } from './api.js';

/**
 * Issue 18 §2: how old each stored credential is against its limit. The limit is the vendor's
 * key lifetime when the plugin states one, otherwise the partner-wide default. Within
 * `rotateSoonDays` of the limit a credential is "rotate soon", past it "overdue"; each raises one
 * alert through the alert and webhook path.
 */

export const defaultCredentialMaxAgeDays = 90;
export const rotateSoonDays = 14;

export const credentialStates = ['ok', 'rotate_soon', 'overdue'] as const;
export type CredentialState = (typeof credentialStates)[number];

const dayMs = 24 * 60 * 60 * 1000;

export interface CredentialAgeFigures {
  /** Whole days since it was set. */
  ageDays: number;
  /** When it reaches its limit. */
  dueAt: Date;
  state: CredentialState;
}

/**
 * The one rule, shared by the server's alerts and the screen's wording. `expiresAt`: the date the
 * vendor refuses it, when known (issue 26); the earlier of that and the age limit is due.
 */
export function credentialAge(setAt: Date, maxAgeDays: number, now: Date, expiresAt?: Date | null): CredentialAgeFigures {
  const limit = setAt.getTime() + maxAgeDays * dayMs;
  const dueAt = new Date(expiresAt && expiresAt.getTime() < limit ? expiresAt.getTime() : limit);
  const left = dueAt.getTime() - now.getTime();
  const state: CredentialState = left <= 0 ? 'overdue' : left <= rotateSoonDays * dayMs ? 'rotate_soon' : 'ok';
  return { ageDays: Math.max(0, Math.floor((now.getTime() - setAt.getTime()) / dayMs)), dueAt, state };
}

export const credentialAgeInputSchema = z.strictObject({ key: integrationKeyParamSchema });
export type CredentialAgeInput = z.infer<typeof credentialAgeInputSchema>;

export const credentialAgeItemSchema = z.object({
  /** The secret field's key and label. */
  field: z.string(),
  label: z.string(),
  setAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  ageDays: z.number().int().nonnegative(),
  state: z.enum(credentialStates),
});
export type CredentialAgeItem = z.infer<typeof credentialAgeItemSchema>;

export const credentialAgeOutputSchema = z.object({
  maxAgeDays: z.number().int().positive(),
  /** `vendor`: the plugin states its vendor's key lifetime; `partner`: the partner-wide default. */
  source: z.enum(['vendor', 'partner']),
  rotateSoonDays: z.number().int().positive(),
  /** One per secret that is set, in field order. */
  items: z.array(credentialAgeItemSchema),
});
export type CredentialAgeOutput = z.infer<typeof credentialAgeOutputSchema>;

/** The partner-wide limit for credentials whose vendor states none. */
export const credentialPolicySchema = z.object({ maxAgeDays: z.number().int().positive() });
export type CredentialPolicy = z.infer<typeof credentialPolicySchema>;

export const setCredentialPolicyInputSchema = z.strictObject({
  maxAgeDays: z
    .number({ error: 'Enter a number of days' })
    .int('Enter a whole number of days')
    .min(1, 'At least 1 day')
    .max(3650, 'At most 3650 days (10 years)'),
});
export type SetCredentialPolicyInput = z.infer<typeof setCredentialPolicyInputSchema>;
