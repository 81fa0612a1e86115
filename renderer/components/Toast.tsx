import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import './Toast.css';
import { useCoveredEdge } from './useCoveredEdge.js';

export type ToastTone = 'success' | 'error' | 'info';

export interface ToastInput {
  tone: ToastTone;
  title: string;
  body?: string;
}

interface ToastItem extends ToastInput {
  id: number;
}

const ToastContext = createContext<((toast: ToastInput) => void) | null>(null);

/** Shows a toast for the result of an action; errors stay until dismissed, the rest fade. */
export function useToast(): (toast: ToastInput) => void {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast needs a <ToastProvider>');
  return show;
}

export function ToastProvider({ children, durationMs = 5000 }: { children: ReactNode; durationMs?: number }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const region = useRef<HTMLElement>(null);
  useCoveredEdge(region, 'bottom', '--covered-bottom');
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (toast: ToastInput) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      if (toast.tone !== 'error') setTimeout(() => dismiss(id), durationMs);
    },
    [dismiss, durationMs],
  );
  const value = useMemo(() => show, [show]);

  // Escape dismisses the newest toast from anywhere (toasts sit last in the tab order, so an
  // error toast would otherwise take a walk through the whole page to close). A modal dialog
  // keeps Escape for itself.
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
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section className="toasts" aria-label="Notifications" ref={region}>
        <div role="status" aria-live="polite" className="toasts-list">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast-${t.tone}`}>
              <div className="toast-text">
                <p className="toast-title">{t.title}</p>
                {t.body && <p className="toast-body">{t.body}</p>}
              </div>
              <button
                type="button"
                className="toast-close"
                aria-label={`Dismiss: ${t.title}`}
                aria-keyshortcuts={t.id === toasts.at(-1)?.id ? 'Escape' : undefined}
                onClick={() => dismiss(t.id)}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}
