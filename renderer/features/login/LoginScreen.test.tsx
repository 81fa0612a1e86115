import { describe, expect, test } from 'vitest';
import { renderApp } from '../../test/renderApp.js';

async function signIn(ctx: ReturnType<typeof renderApp>, email: string, password: string) {
  const { screen, user } = ctx;
  await user.clear(screen.getByLabelText(/Email/));
  await user.type(screen.getByLabelText(/Email/), email);
  await user.clear(screen.getByLabelText(/Password/));
  await user.type(screen.getByLabelText(/Password/), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('Login', () => {
  test('wrong credentials say so and keep the user on the form', async () => {
    const ctx = renderApp({ signedInAs: null });
    await ctx.screen.findByRole('heading', { name: 'Sign in' });
    await signIn(ctx, 'admin@acme.test', 'wrong');
    expect((await ctx.screen.findByRole('alert')).textContent).toContain('Email or password is incorrect.');
  });

  test('an unreachable server is named as such', async () => {
    const ctx = renderApp({ signedInAs: null, online: false });
    await ctx.screen.findByRole('heading', { name: 'Sign in' });
    await signIn(ctx, 'admin@acme.test', 'correct horse battery');
    expect((await ctx.screen.findByRole('alert')).textContent).toContain('Can’t reach the server.');
  });

  test('rate limiting pauses the button with the wait time', async () => {
    const ctx = renderApp({ signedInAs: null });
    await ctx.screen.findByRole('heading', { name: 'Sign in' });
    for (let i = 0; i < 5; i++) await signIn(ctx, 'admin@acme.test', `wrong-${i}`);
    await signIn(ctx, 'admin@acme.test', 'wrong-again');
    expect((await ctx.screen.findByRole('alert')).textContent).toMatch(/Too many sign-in attempts\..*Try again in 60 s\./);
    expect((ctx.screen.getByRole('button', { name: 'Wait 60 s' }) as HTMLButtonElement).disabled).toBe(true);
  });

  test('bad input is caught before sending, on the field', async () => {
    const ctx = renderApp({ signedInAs: null });
    await ctx.screen.findByRole('heading', { name: 'Sign in' });
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Sign in' }));
    const email = ctx.screen.getByLabelText(/Email/);
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(email);
  });

  test('signing in shows the session: who, which role, which partner; signing out returns here', async () => {
    const ctx = renderApp({ signedInAs: null });
    await ctx.screen.findByRole('heading', { name: 'Sign in' });
    await signIn(ctx, 'tech@acme.test', 'correct horse battery');
    expect(await ctx.screen.findByText('Sam Ortega')).toBeTruthy();
    expect(ctx.screen.getByText('Technician · Acme IT Services')).toBeTruthy();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Sign out' }));
    expect(await ctx.screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });
});
