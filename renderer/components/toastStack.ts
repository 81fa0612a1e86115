export type ToastTone = 'success' | 'error' | 'info';

export interface ToastInput {
  tone: ToastTone;
  title: string;
  body?: string;
}

export interface ToastItem extends ToastInput {
  id: number;
}

/** At most this many toasts at once: more would push the screen down further than they are worth. */
export const maxToasts = 3;

/** Errors wait for the user; success and info messages go by themselves. */
export const expires = (toast: ToastInput): boolean => toast.tone !== 'error';

const same = (a: ToastInput, b: ToastInput) => a.tone === b.tone && a.title === b.title && (a.body ?? '') === (b.body ?? '');

/**
 * The stack after `next` arrives: the same message again replaces the earlier one (so pressing
 * "Sync now" five times shows one "Up to date", timed from the last press), and past `max` the
 * oldest toast that would expire anyway makes room before any error does (the new one too, when
 * errors fill the stack), so an error is never pushed out by a run of confirmations.
 */
export function pushToast(list: readonly ToastItem[], next: ToastItem, max = maxToasts): ToastItem[] {
  const stack = [...list.filter((t) => !same(t, next)), next];
  while (stack.length > max) {
    const fading = stack.findIndex(expires);
    stack.splice(fading === -1 ? 0 : fading, 1);
  }
  return stack;
}
