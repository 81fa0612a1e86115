import type { ReactNode } from 'react';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';

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
