import { createCallerFactory, router } from '../trpc/init.js';
import { authRouter } from './auth.js';
import { devRouter } from './dev.js';
import { integrationsRouter } from './integrations.js';
import { syncRouter } from './sync.js';

/** Every resource router, one line each. */
export const appRouter = router({
  auth: authRouter,
  integrations: integrationsRouter,
  dev: devRouter,
  sync: syncRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
