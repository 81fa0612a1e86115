import { initTRPC, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runProcedure } from './runProcedure.js';

const t = initTRPC.context<{ user?: string; trace: string[] }>().meta<{ label: string }>().create();

/** Middlewares that use every way `next` can change a call, and that record what each step saw. */
const stamped = t.procedure
  .meta({ label: 'stamped' })
  .use(({ ctx, meta, type, path, next }) => {
    ctx.trace.push(`first:${meta?.label}:${type}:${path}`);
    return next({ ctx: { user: 'ada' } });
  })
  .use(async ({ ctx, next, getRawInput }) => {
    const raw = (await getRawInput()) as { n?: number } | undefined;
    ctx.trace.push(`second:${ctx.user}:${raw?.n}`);
    if (raw?.n === 13) throw new Error('unlucky');
    return next({ getRawInput: async () => ({ n: (raw?.n ?? 0) + 1 }) });
  })
  .input(z.object({ n: z.number().int() }))
  .use(({ ctx, input, next }) => {
    ctx.trace.push(`third:${input.n}`);
    return next({ input: { n: input.n * 10 } });
  })
  .output(z.object({ n: z.number().max(1000), user: z.string() }));

const router = t.router({
  ok: stamped.query(({ input, ctx }) => ({ n: (input as { n: number }).n, user: ctx.user ?? 'none' })),
  tooBig: stamped.query(() => ({ n: 5000, user: 'x' })),
  refused: stamped.mutation(() => {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'no' });
  }),
  // Two inputs merged, one with an async refinement (zod's synchronous parse cannot run it).
  merged: t.procedure
    .input(z.object({ a: z.string() }))
    .input(z.object({ b: z.number() }).refine(async (v) => v.b !== 7, { message: 'not seven', path: ['b'] }))
    .output(z.object({ a: z.string(), b: z.number(), c: z.string().transform((c) => c.toUpperCase()) }))
    .query(({ input }) => ({ ...input, c: `${input.a}${input.b}` })),
});

/** tRPC's own call of the same procedure, for comparison. */
async function viaTrpc(path: keyof typeof router._def.procedures, input: unknown) {
  const trace: string[] = [];
  const procedure = router._def.procedures[path];
  const outcome = await procedure({ path, ctx: { trace }, type: procedure._def.type, getRawInput: async () => input, signal: undefined, batchIndex: 0 }).then(
    (data: unknown) => ({ data }),
    (error: TRPCError) => ({ error: { code: error.code, message: error.message, cause: error.cause?.message } }),
  );
  return { outcome, trace };
}

async function viaRunProcedure(path: keyof typeof router._def.procedures, input: unknown) {
  const trace: string[] = [];
  const procedure = router._def.procedures[path];
  const outcome = await runProcedure(procedure, { path, ctx: { trace }, type: procedure._def.type, getRawInput: async () => input, signal: undefined, batchIndex: 0 }).then(
    (data: unknown) => ({ data }),
    (error: TRPCError) => ({ error: { code: error.code, message: error.message, cause: error.cause?.message } }),
  );
  return { outcome, trace };
}

describe('runProcedure', () => {
  const calls: Array<[keyof typeof router._def.procedures, unknown]> = [
    ['ok', { n: 4 }],
    ['ok', { n: 13 }],
    ['ok', { n: 'four' }],
    ['ok', { n: 200 }],
    ['tooBig', { n: 1 }],
    ['refused', { n: 1 }],
    ['merged', { a: 'x', b: 2 }],
    ['merged', { a: 'x', b: 7 }],
    ['merged', { a: 5 }],
  ];

  it.each(calls)('runs %s(%j) with the same steps, context, input and outcome as tRPC', async (path, input) => {
    expect(await viaRunProcedure(path, input)).toEqual(await viaTrpc(path, input));
  });

  it('merges the context, replaces the raw and parsed input, and validates the output', async () => {
    expect(await viaRunProcedure('ok', { n: 4 })).toEqual({
      outcome: { data: { n: 50, user: 'ada' } },
      trace: ['first:stamped:query:ok', 'second:ada:4', 'third:5'],
    });
    expect((await viaRunProcedure('ok', { n: 200 })).outcome).toMatchObject({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Output validation failed' } });
    expect((await viaRunProcedure('ok', { n: 13 })).outcome).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'unlucky', cause: 'unlucky' } });
    expect((await viaRunProcedure('ok', { n: 'four' })).outcome).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('merges several inputs, runs async refinements and output transforms', async () => {
    expect((await viaRunProcedure('merged', { a: 'x', b: 2 })).outcome).toEqual({ data: { a: 'x', b: 2, c: 'X2' } });
    expect((await viaRunProcedure('merged', { a: 'x', b: 7 })).outcome).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('not seven') } });
  });
});
