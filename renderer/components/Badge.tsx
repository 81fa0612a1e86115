import type { ReactNode } from 'react';
import './StatusBadge.css';

export type BadgeTone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';

/** A small label; for integration status use StatusBadge, whose styling has one source. */
export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
