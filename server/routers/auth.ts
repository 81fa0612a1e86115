import { loginInputSchema, loginOutputSchema, sessionUserSchema } from '../../shared/auth.js';
import { login } from '../services/auth.js';
import { authedProcedure, publicProcedure, router } from '../trpc/init.js';

export const authRouter = router({
  login: publicProcedure
    .input(loginInputSchema)
    .output(loginOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/auth/login', summary: 'Exchange email and password for a bearer token', tag: 'auth', public: true } })
    .mutation(({ ctx, input }) => login(ctx.deps, input, ctx.ip)),

  /** Who the token belongs to, as the database knows them now. */
  me: authedProcedure
    .output(sessionUserSchema)
    .meta({ openapi: { method: 'GET', path: '/api/auth/me', summary: 'The signed-in user', tag: 'auth' } })
    .query(({ ctx }) => {
      const p = ctx.principal;
      return {
        id: p.userId,
        email: p.email,
        displayName: p.displayName,
        role: p.role,
        partnerId: p.partnerId,
        partnerName: p.partnerName,
        isDev: p.isDev,
      };
    }),
});
