import { createCallerFactory, router } from '../trpc/init.js';
import { authRouter } from './auth.js';

/** Every resource router, one line each. */
export const appRouter = router({
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
