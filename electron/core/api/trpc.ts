import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { ApiErrorBody } from '../../../shared/errors.js';
import { fieldErrorsFromZod, trpcCodeByErrorCode } from '../../../shared/trpcErrors.js';
import { LocalError } from '../errors.js';
import type { LocalContext } from './contract.js';


/** The error body the renderer reads from `error.data.error`, in the server's shape. */
function errorBody(error: TRPCError): ApiErrorBody {
  const cause = error.cause;
  if (cause instanceof LocalError) {
    return { code: cause.code, message: cause.message, ...(cause.fields ? { fields: cause.fields } : {}), ...(cause.details !== undefined ? { details: cause.details } : {}) };
  }
  if (cause instanceof ZodError) {
    return { code: 'VALIDATION_FAILED', message: 'Some fields are not valid', fields: fieldErrorsFromZod(cause) };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') return { code: 'INTERNAL', message: 'Something went wrong in the app' };
  return { code: 'BAD_REQUEST', message: error.message };
}

const t = initTRPC.context<LocalContext>().create({
  isDev: false,
  // The event stream (browser mode, SSE) pings so the UI can tell a quiet core from a gone one.
  sse: { ping: { enabled: true, intervalMs: 15_000 } },
  errorFormatter: ({ shape, error }) => ({ ...shape, message: errorBody(error).message, data: { ...shape.data, stack: undefined, error: errorBody(error) } }),
});

export const router = t.router;

/**
 * Every local procedure: the caller is checked first (and a refused call still gets an error
 * answer), then LocalErrors become tRPC errors with the matching code.
 */
export const localProcedure = t.procedure.use(async ({ ctx, next }) => {
  ctx.checkCaller();
  const result = await next();
  if (!result.ok && result.error.cause instanceof LocalError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: trpcCodeByErrorCode[cause.code], message: cause.message, cause });
  }
  return result;
});

export const createLocalCallerFactory = t.createCallerFactory;
