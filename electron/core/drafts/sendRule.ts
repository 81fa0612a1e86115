import { AppError } from '../../../shared/errors.js';

/**
 * The rule every edit kept offline is sent by, so each changes the server at most once: the
 * server already holds the target → applied (a replay after a crash, or the same edit made
 * elsewhere); it still holds the base → send; anything else → a conflict to show beside the edit.
 */
export type SendDecision = 'applied' | 'send' | 'conflict';

export function decideSend<T>(current: T, edit: { base: T; target: T }, same: (a: T, b: T) => boolean = Object.is): SendDecision {
  if (same(current, edit.target)) return 'applied';
  if (same(current, edit.base)) return 'send';
  return 'conflict';
}

/** A refusal by the server (kept as rejected, with why) rather than the server being out of reach (kept queued). */
export function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && error.code !== 'UNAVAILABLE' && error.code !== 'UNAUTHORIZED';
}
