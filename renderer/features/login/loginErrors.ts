import type { AppError } from '../../../shared/errors.js';

export interface LoginErrorText {
  title: string;
  body: string;
}

/** What went wrong at sign-in, in words that say what to do. */
export function describeLoginError(error: AppError): LoginErrorText {
  switch (error.code) {
    case 'UNAUTHORIZED':
      return { title: 'Email or password is incorrect.', body: 'Check both and try again. Passwords are case-sensitive.' };
    case 'RATE_LIMITED':
      return { title: 'Too many sign-in attempts.', body: 'For your account’s safety, sign-in is paused for a moment.' };
    case 'UNAVAILABLE':
      return { title: 'Can’t reach the server.', body: 'Check your network connection (and VPN, if you use one), then try again.' };
    case 'VALIDATION_FAILED':
      return { title: 'Check the highlighted fields.', body: error.message };
    default:
      return { title: 'Sign-in failed.', body: error.message };
  }
}
