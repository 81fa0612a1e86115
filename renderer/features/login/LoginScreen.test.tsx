import { waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

// Sign-in through the real core against the real server: its password check and rate limits.
let world: World;
let desktop: Desktop | null = null;
beforeAll(async () => {
  world = await World.start();
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  await world.restart();
});
afterAll(() => world.close());

async function signedOut() {
  desktop = await openDesktop(world.url);
  const ctx = renderApp(desktop.source);
  await ctx.screen.findByRole('heading', { name: 'Sign in' });
  return ctx;
}

/** The sign-in's alert region is always there; wait for what the answer puts in it. */
async function alertText(ctx: ReturnType<typeof renderApp>, expected: RegExp) {
  const alert = ctx.screen.getByRole('alert');
  await waitFor(() => expect(alert.textContent).toMatch(expected));
}

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
    const ctx = await signedOut();
    await signIn(ctx, 'admin@northwind.example', 'wrong password');
    await alertText(ctx, /Email or password is incorrect\./);
  });

  test('an unreachable server is named as such', async () => {
    const ctx = await signedOut();
    await world.stop();
    const admin = world.user('admin@northwind.example');
    await signIn(ctx, admin.email, admin.password);
    await alertText(ctx, /Can’t reach the server\./);
  });

  test('the server’s rate limit pauses the button with its wait time', async () => {
    const ctx = await signedOut();
    // The world allows 3 attempts per account: the 4th is refused whatever the password.
    for (let i = 0; i < 3; i++) await signIn(ctx, 'tech@contoso.example', `wrong-${i}`);
    await signIn(ctx, 'tech@contoso.example', 'wrong-again');
    await alertText(ctx, /Too many sign-in attempts\..*Try again in/);
    expect((ctx.screen.getByRole('button', { name: /^Wait / }) as HTMLButtonElement).disabled).toBe(true);
  });

  test('bad input is caught before sending, on the field', async () => {
    const ctx = await signedOut();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Sign in' }));
    const email = ctx.screen.getByLabelText(/Email/);
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(email);
  });

  test('signing in shows the session: who, which role, which partner; signing out returns here', async () => {
    const ctx = await signedOut();
    const tech = world.user('tech@northwind.example');
    await signIn(ctx, tech.email, tech.password);
    // The shell shows once its first screen is ready.
    const signOut = await ctx.screen.findByRole('button', { name: 'Sign out' });
    expect(ctx.screen.getByText('Northwind MSP Technician')).toBeTruthy();
    expect(ctx.screen.getByText('Technician · Northwind MSP')).toBeTruthy();
    await ctx.user.click(signOut);
    expect(await ctx.screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });
});
