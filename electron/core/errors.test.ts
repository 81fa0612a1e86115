import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { serverFailure } from './errors.js';
import { callServer } from './server/serverApi.js';
import { TransportError } from './sync/transport.js';

const words = { offline: 'The server cannot be reached', unauthorized: 'Sign in again' };

/** What the typed client makes of a real HTTP answer, as the core's server calls see it. */
async function answered(status: number, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const fetch = async () => new Response(text, { status, headers: { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json', ...headers } });
  return callServer({ serverUrl: 'http://127.0.0.1:1', fetch }, {}, (api) => api.auth.me.query()).then(
    () => expect.unreachable('the call should fail'),
    (error: unknown) => error,
  );
}

describe('serverFailure', async () => {
  it("passes on the server's own error from a tRPC answer, with Retry-After in seconds", async () => {
    const body = { error: { message: 'Too many sign-in attempts', code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, error: { code: 'RATE_LIMITED', message: 'Too many sign-in attempts' }, retryAfterSeconds: 90 } } };
    const error = serverFailure(await answered(429, body, { 'retry-after': '90' }), words);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many sign-in attempts', retryAfterSeconds: 90 });
  });

  it('keeps the per-field messages of a REST answer', async () => {
    const body = { error: { code: 'VALIDATION_FAILED', message: 'Some settings are not valid', fields: { 'settings.subdomain': ['Letters, digits and dashes'] } } };
    expect(serverFailure(await answered(400, body), words)).toMatchObject({ code: 'VALIDATION_FAILED', fields: { 'settings.subdomain': ['Letters, digits and dashes'] } });
  });

  it('names an answer that is not ours by what its status means', async () => {
    expect(serverFailure(await answered(502, '<html>Bad gateway</html>'), words)).toMatchObject({ code: 'UNAVAILABLE', message: 'The server answered 502' });
    expect(serverFailure(await answered(405, '<html>Not allowed</html>'), words)).toMatchObject({ code: 'BAD_REQUEST', message: 'The server answered 405' });
  });

  it('says what the caller chose for no answer and for an ended session', async () => {
    expect(serverFailure(new TransportError('offline', 'ECONNREFUSED'), words)).toMatchObject({ code: 'UNAVAILABLE', message: 'The server cannot be reached' });
    const expired = await answered(401, { error: { code: 'UNAUTHORIZED', message: 'Sign in again: your session is missing, invalid or expired' } });
    expect(serverFailure(expired, words)).toMatchObject({ code: 'UNAUTHORIZED', message: 'Sign in again' });
    // Without words of its own (a sign-in), the server's message says what was wrong.
    const wrong = await answered(401, { error: { code: 'UNAUTHORIZED', message: 'Email or password is incorrect' } });
    expect(serverFailure(wrong, { offline: 'x' })).toMatchObject({ code: 'UNAUTHORIZED', message: 'Email or password is incorrect' });
  });

  it('keeps an AppError as it is and hides anything else behind INTERNAL', async () => {
    const own = new AppError('CONFLICT', 'Sign out before changing the server');
    expect(serverFailure(own, words)).toBe(own);
    expect(serverFailure(new TypeError('cannot read x of undefined'), { ...words, unexpected: 'Signing in failed' })).toMatchObject({ code: 'INTERNAL', message: 'Signing in failed' });
  });
});
