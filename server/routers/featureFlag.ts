import { appError } from '../trpc/errors.js';
import { middleware } from '../trpc/init.js';

/** FEATURE_INTEGRATION_CENTER=false hides the catalog procedures (404) without a redeploy of clients. */
export const catalogEnabled = middleware(({ ctx, next }) => {
  if (!ctx.deps.config.featureIntegrationCenter) throw appError('NOT_FOUND', 'The Integration Center is not enabled on this server');
  return next();
});
