import { AppError } from '../../shared/errors.js';
import type { Principal } from '../services/principal.js';
import type { Context } from '../trpc/context.js';
import { middleware } from '../trpc/init.js';

/**
 * The `integration-center` flag hides the catalog procedures (404) without a redeploy of
 * clients: globally (FEATURE_INTEGRATION_CENTER, or a stored global value) or for one partner
 * (an override). Used after authentication, so the partner is the caller's, from the token.
 */
export const catalogEnabled = middleware(async ({ ctx, next }) => {
  const { principal } = ctx as Context & { principal?: Principal };
  if (!principal || !(await ctx.deps.flags.isEnabled('integration-center', principal.partnerId))) {
    throw new AppError('NOT_FOUND', 'The Integration Center is not enabled on this server');
  }
  return next();
});
