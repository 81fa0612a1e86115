import { initTRPC } from '@trpc/server';
import { InvalidTokenError } from '../auth/tokens.js';
import { authenticate, type Principal } from '../services/principal.js';
import { AppError } from '../../shared/errors.js';
import type { Context } from './context.js';
import type { ProcedureMeta } from './meta.js';
import { resolveApiError, toTRPCError } from './errors.js';

/** The one place tRPC is initialised. Errors carry `data.error` in the REST error shape. */
const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  isDev: false,
  // Subscriptions (the sync change feed) stream over SSE: a ping keeps proxies from closing an
  // idle stream and lets clients notice a dead one; capping a stream's life makes clients
  // reconnect, which re-checks their token and user.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, maxDurationMs: 5 * 60_000, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error }) {
    const resolved = resolveApiError(error);
    return {
      message: resolved.body.message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: resolved.status,
        path: shape.data.path,
        error: resolved.body,
        retryAfterSeconds: resolved.retryAfterSeconds,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** An AppError thrown by a service, middleware or resolver leaves as the TRPCError with its code. */
function rethrowAppError<R extends { ok: boolean; error?: { cause?: unknown } }>(result: R): R {
  if (!result.ok && result.error?.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
}

/**
 * Every procedure: an AppError thrown by a service, middleware or resolver leaves as the
 * TRPCError with its code, so callers (HTTP or `createCaller`) see the same code either way.
 */
export const publicProcedure = t.procedure.use(async ({ next }) => rethrowAppError(await next()));

/**
 * Every procedure with a caller: the token is verified and its user loaded from the database.
 * One middleware, not publicProcedure's plus its own: each tRPC middleware step copies the call's
 * options and context, and on the desktop's hot path (issue 19 §2) that copying was the largest
 * share of a call's own cost.
 */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  let principal: Principal;
  try {
    principal = await authenticate(ctx.deps, ctx.authorization);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw toTRPCError(new AppError('UNAUTHORIZED', 'Sign in again: your session is missing, invalid or expired'));
    if (error instanceof AppError) throw toTRPCError(error);
    throw error;
  }
  return rethrowAppError(await next({ ctx: { principal } }));
});

/** The caller authedProcedure attached (role checks run after it, and after the feature flag). */
const principalOf = (ctx: Context) => (ctx as Context & { principal?: Principal }).principal;

/** Mutations of a partner's configuration: partner admins only. */
export const requirePartnerAdmin = t.middleware(({ ctx, next }) => {
  if (principalOf(ctx)?.role !== 'partner_admin') throw new AppError('FORBIDDEN', 'Only partner admins can change integrations');
  return next();
});

/** Read-only views across partners, for the platform operator only (partners.is_dev). */
export const requireDev = t.middleware(({ ctx, next }) => {
  if (!principalOf(ctx)?.isDev) throw new AppError('FORBIDDEN', 'Only the platform operator can see other partners');
  return next();
});

export const partnerAdminProcedure = authedProcedure.use(requirePartnerAdmin);
