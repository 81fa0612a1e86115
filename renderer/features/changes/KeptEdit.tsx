import type { ReactNode } from 'react';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { useToast } from '../../components/Toast.js';

/** An edit kept offline (mappings, automations): waiting, sent, the server changed meanwhile, or refused. */
export type KeptState = 'queued' | 'applied' | 'conflict' | 'rejected';
const stateLabel: Record<KeptState, string> = { queued: 'Queued', applied: 'Applied', conflict: 'Conflict', rejected: 'Refused' };

export function KeptStateBadge({ state }: { state: KeptState }) {
  return <Badge tone={state === 'queued' ? 'neutral' : 'danger'}>{stateLabel[state]}</Badge>;
}

interface KeptConflictProps {
  yours: ReactNode;
  theirs: ReactNode;
  /** What happened, in a sentence. */
  why: ReactNode;
  busy: boolean;
  /** "Keep mine", "Save mine anyway"… */
  mineLabel: string;
  onResolve(keep: 'mine' | 'theirs'): void;
}

/** A kept edit beside what the server holds now, to keep one or the other. */
export function KeptConflict({ yours, theirs, why, busy, mineLabel, onResolve }: KeptConflictProps) {
  return (
    <div className="mapping-conflict">
      <div>
        <p className="muted">Yours</p>
        <p>{yours}</p>
      </div>
      <div>
        <p className="muted">On the server now</p>
        <p>{theirs}</p>
      </div>
      <p className="muted mapping-conflict-why">{why}</p>
      <div className="row">
        <Button size="sm" variant="primary" busy={busy} onClick={() => onResolve('mine')}>
          {mineLabel}
        </Button>
        <Button size="sm" busy={busy} onClick={() => onResolve('theirs')}>
          Keep the server’s
        </Button>
      </div>
    </div>
  );
}

/** A toast for a click the core refused: `failed('Not discarded')` as a mutation's onError. */
export function useFailedToast(): (title: string) => (e: { message: string }) => void {
  const toast = useToast();
  return (title) => (e) => toast({ tone: 'error', title, body: e.message });
}

/** The card holding one kind of edits made offline, one list item each. */
export function KeptEditSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-header">
        <h2 id={id}>{title}</h2>
        <span className="muted">Made offline; sent by themselves when the server is back.</span>
      </div>
      <ul className="mapping-drafts">{children}</ul>
    </section>
  );
}
