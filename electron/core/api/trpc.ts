import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError, type TrpcErrorData } from '../../../shared/errors.js';
import { fieldErrorsFromZod, trpcCodeByErrorCode } from '../../../shared/trpcErrors.js';
import type { LocalContext } from './contract.js';

/**
 * What the renderer reads from `error.data` (shared/errors.ts `trpcErrorDataSchema`, the server's
 * shape): the body and, when the user must wait (a rate-limited sign-in), how long.
 */
function errorData(error: TRPCError): TrpcErrorData {
  const cause = error.cause;
  if (cause instanceof AppError) return { error: cause.toBody(), ...(cause.retryAfterSeconds ? { retryAfterSeconds: cause.retryAfterSeconds } : {}) };
  if (cause instanceof ZodError) {
    return { error: { code: 'VALIDATION_FAILED', message: 'Some fields are not valid', fields: fieldErrorsFromZod(cause) } };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') return { error: { code: 'INTERNAL', message: 'Something went wrong in the app' } };
  return { error: { code: 'BAD_REQUEST', message: error.message } };
}

const t = initTRPC.context<LocalContext>().create({
  isDev: false,
  // The event stream (browser mode, SSE) pings so the UI can tell a quiet core from a gone one.
  sse: { ping: { enabled: true, intervalMs: 15_000 } },
  errorFormatter: ({ shape, error }) => {
    const data = errorData(error);
    return { ...shape, message: data.error.message, data: { ...shape.data, stack: undefined, ...data } };
  },
});

export const router = t.router;

/**
 * Every local procedure: the caller is checked first (and a refused call still gets an error
 * answer), then AppErrors become tRPC errors with the matching code.
 */
export const localProcedure = t.procedure.use(async ({ ctx, next }) => {
  try {
    ctx.checkCaller();
  } catch (error) {
    throw error instanceof AppError ? asTrpcError(error) : error;
  }
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw asTrpcError(result.error.cause);
  // A service that checks what the user composed (an action's input) with zod throws a ZodError:
  // the caller's mistake, a 400 with its fields as on the server, not a 500.
  if (!result.ok && result.error.cause instanceof ZodError && result.error.code === 'INTERNAL_SERVER_ERROR') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Some fields are not valid', cause: result.error.cause });
  }
  return result;
});

function asTrpcError(cause: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeByErrorCode[cause.code], message: cause.message, cause });
}

export const createLocalCallerFactory = t.createCallerFactory;
