import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import './Toast.css';
import { expires, pushToast, type ToastInput, type ToastItem } from './toastStack.js';

export type { ToastInput, ToastTone } from './toastStack.js';

type Show = (toast: ToastInput) => void;

interface ToastState {
  toasts: ToastItem[];
  show: Show;
  dismiss(id: number): void;
  clear(): void;
  setPaused(paused: boolean): void;
}

const ToastStateContext = createContext<ToastState | null>(null);
/** What `useToast` hands out; a ToastScope replaces it for the part of the tree it wraps. */
const ShowContext = createContext<Show | null>(null);

function useToastState(): ToastState {
  const state = useContext(ToastStateContext);
  if (!state) throw new Error('Toasts need a <ToastProvider>');
  return state;
}

/** Shows a toast for the result of an action; errors stay until dismissed, the rest expire. */
export function useToast(): Show {
  const show = useContext(ShowContext);
  if (!show) throw new Error('useToast needs a <ToastProvider>');
  return show;
}

/** Removes every toast at once (the user signed out: nothing of theirs stays on screen). */
export function useClearToasts(): () => void {
  return useToastState().clear;
}

/**
 * Holds the toasts. They show wherever a <ToastOutlet> is mounted, so each screen decides where
 * they hide nothing (the shell: inside its sticky header, above the content, never over it).
 */
export function ToastProvider({ children, durationMs = 5000 }: { children: ReactNode; durationMs?: number }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const [paused, setPaused] = useState(false);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const clear = useCallback(() => setToasts([]), []);
  const show = useCallback((toast: ToastInput) => setToasts((list) => pushToast(list, { ...toast, id: nextId.current++ })), []);

  // Each expiring toast keeps its own deadline; while the keyboard is inside the stack nothing
  // expires (a focused close button must not vanish from under the focus), and leaving it gives
  // every toast its full time again.
  const deadlines = useRef(new Map<number, number>());
  useEffect(() => {
    const due = deadlines.current;
    if (paused) {
      due.clear();
      return;
    }
    const now = Date.now();
    const timers = toasts.filter(expires).map((t) => {
      const at = due.get(t.id) ?? now + durationMs;
      due.set(t.id, at);
      return setTimeout(() => dismiss(t.id), Math.max(0, at - now));
    });
    for (const id of due.keys()) if (!toasts.some((t) => t.id === id)) due.delete(id);
    return () => timers.forEach(clearTimeout);
  }, [toasts, paused, durationMs, dismiss]);

  // Escape dismisses the newest toast from anywhere (otherwise an error toast takes a walk with
  // Tab to close). A modal dialog keeps Escape for itself.
  useEffect(() => {
    const newest = toasts.at(-1);
    if (!newest) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('[aria-modal="true"]')) return;
      dismiss(newest.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toasts, dismiss]);

  const state = useMemo(() => ({ toasts, show, dismiss, clear, setPaused }), [toasts, show, dismiss, clear]);
  return (
    <ToastStateContext.Provider value={state}>
      <ShowContext.Provider value={show}>{children}</ShowContext.Provider>
    </ToastStateContext.Provider>
  );
}

/**
 * Toasts asked for inside the scope while it is mounted. The signed-in part of the app is one
 * scope per user: an answer that arrives after sign-out (a delete or an apply still in flight)
 * is dropped instead of greeting the next user.
 */
export function ToastScope({ children }: { children: ReactNode }) {
  const { show } = useToastState();
  const open = useRef(true);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);
  const scoped = useCallback<Show>((toast) => {
    if (open.current) show(toast);
  }, [show]);
  return <ShowContext.Provider value={scoped}>{children}</ShowContext.Provider>;
}

/** Where the toasts appear: in the flow of the page, so they push content aside rather than cover it. */
export function ToastOutlet() {
  const { toasts, dismiss, setPaused } = useToastState();
  const newest = toasts.at(-1)?.id;
  return (
    <section
      className="toasts"
      aria-label="Notifications"
      onFocus={() => setPaused(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setPaused(false);
      }}
    >
      <div role="status" aria-live="polite" className="toasts-list">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            <p className="toast-text">
              <span className="toast-title">{t.title}</span>
              {t.body && <span className="toast-body">{t.body}</span>}
            </p>
            <button type="button" className="toast-close" aria-label={`Dismiss: ${t.title}`} aria-keyshortcuts={t.id === newest ? 'Escape' : undefined} onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
