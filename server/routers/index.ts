import { createCallerFactory, router } from '../trpc/init.js';
import { authRouter } from './auth.js';
import { devRouter } from './dev.js';
import { healthRouter } from './health.js';
import { integrationsRouter } from './integrations.js';
import { mspbackupsRouter } from './mspbackups.js';

/** Every resource router, one line each. */
export const appRouter = router({
  auth: authRouter,
  integrations: integrationsRouter,
  dev: devRouter,
  mspbackups: mspbackupsRouter,
  health: healthRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
