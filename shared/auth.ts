import { z } from 'zod';

export const roles = ['partner_admin', 'partner_user'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const emailSchema = z.string().trim().toLowerCase().min(3).max(320).email();

export const loginInputSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const sessionUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  partnerId: z.number().int(),
  partnerName: z.string(),
  isDev: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const loginOutputSchema = z.object({
  token: z.string(),
  expiresAt: z.iso.datetime(),
  user: sessionUserSchema,
});
export type LoginOutput = z.infer<typeof loginOutputSchema>;
