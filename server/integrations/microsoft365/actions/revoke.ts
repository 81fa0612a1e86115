import { m365RevokeInput, m365RevokeOutput } from '../../../../shared/actions/microsoft365.js';
import { AppError } from '../../../../shared/errors.js';
import { defineAction } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import { consentFromError } from '../consent.js';
import { clientTenants, openRun, tenantError, type M365ActionDeps } from './call.js';

/**
 * `microsoft365.users.revoke_sessions` [H: §1.5.5; the application permission is User.RevokeSessions.All, least privileged, per
 * https://learn.microsoft.com/graph/api/user-revokesigninsessions (§1.5.5 still named Directory.ReadWrite.All)]: side
 * effectful, so the action service runs it once per idempotency key; the POST is never resent
 * after a timeout (only after 429/503, which Graph did not process).
 */
export function m365RevokeAction(deps: M365ActionDeps) {
  return defineAction({
    id: 'microsoft365.users.revoke_sessions',
    label: "Revoke a Microsoft 365 user's sessions",
    description: 'Signs the user out everywhere (revokes refresh tokens and session cookies) in one tenant of the client.',
    sideEffectful: true,
    clientScoped: true,
    input: m365RevokeInput,
    output: m365RevokeOutput,
    async run(ctx, input) {
      const call = openRun(ctx, deps);
      const [tenant] = await clientTenants(ctx, input.clientId, input.tenantId);
      if (!tenant) throw new AppError('NOT_FOUND', `Tenant ${input.tenantId} is not one of this client's Microsoft 365 tenants`);
      try {
        await deps.api.revokeSessions(call, tenant.tenantId, input.userId);
      } catch (error) {
        if (error instanceof VendorError && error.kind === 'not_found') throw new AppError('NOT_FOUND', `There is no user ${input.userId} in ${tenant.tenantName}`);
        if (error instanceof VendorError) throw new AppError('VENDOR_ERROR', `${tenant.tenantName}: ${tenantError(error, 'User.RevokeSessions.All')}`);
        throw new AppError('CONFLICT', `${tenant.tenantName}: ${consentFromError(error).reason}`);
      }
      return { output: { tenantId: tenant.tenantId, tenantName: tenant.tenantName, userId: input.userId, revoked: true } };
    },
  });
}
