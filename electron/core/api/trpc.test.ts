import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LocalServices } from './contract.js';
import { createLocalCallerFactory, localProcedure, router } from './trpc.js';

describe('local API procedures', () => {
  it('answer a ZodError thrown by a service as 400 VALIDATION_FAILED with its fields, not a 500', async () => {
    // Found by the fuzz fault scenario: actions.compose checks the composed action input with zod.
    const composed = z.object({ ticketId: z.string().regex(/^\d+$/, 'Ticket id is a number') });
    const testRouter = router({ compose: localProcedure.mutation(() => composed.parse({ ticketId: 'abc' })) });
    const caller = createLocalCallerFactory(testRouter)({ services: {} as LocalServices, checkCaller: () => undefined });
    const error = await caller.compose().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(getHTTPStatusCodeFromError(error as TRPCError)).toBe(400);
  });
});
