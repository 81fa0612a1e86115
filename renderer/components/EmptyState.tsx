import type { ReactNode } from 'react';
import './EmptyState.css';

/** An empty or error state that says what happened and what to do next. */
export function EmptyState({ title, children, action, tone = 'neutral' }: { title: string; children?: ReactNode; action?: ReactNode; tone?: 'neutral' | 'error' }) {
  return (
    <div className={`empty-state empty-state-${tone}`} role={tone === 'error' ? 'alert' : undefined}>
      <div className="empty-state-icon" aria-hidden="true">
        {tone === 'error' ? '!' : '∅'}
      </div>
      <h2 className="empty-state-title">{title}</h2>
      {children && <div className="empty-state-body">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
