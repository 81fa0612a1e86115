import type { MappingDraft } from '../../../shared/localApi.js';
import { useMappingDraftActions } from '../../app/data/hooks/useMappings.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { KeptConflict, KeptEditSection, KeptStateBadge, useFailedToast } from './KeptEdit.js';

const client = (name: string | null) => name ?? 'not mapped';

/**
 * Mapping edits made offline: each one's organization, what it was and what it becomes. A
 * conflict shows the server's mapping beside the edit, to keep one or the other.
 */
export function MappingDraftList({ drafts, integrationName }: { drafts: MappingDraft[]; integrationName(key: string): string }) {
  const { discard, resolve } = useMappingDraftActions();
  const failed = useFailedToast();
  return (
    <KeptEditSection id="mapping-drafts-title" title="Mapping changes">
        {drafts.map((d) => (
          <li key={d.id} className="mapping-draft" aria-label={`${integrationName(d.integrationKey)}: ${d.externalOrgName}`}>
            <div className="row">
              <strong>{d.externalOrgName}</strong>
              <span className="muted">
                on <a href={hrefFor({ name: 'mappings', key: d.integrationKey })}>{integrationName(d.integrationKey)}</a>
              </span>
              <KeptStateBadge state={d.state} />
            </div>
            {d.state === 'conflict' ? (
              <KeptConflict
                yours={client(d.clientName)}
                theirs={client(d.serverClientName)}
                why={`Someone changed this organization’s mapping while you were offline (it was ${client(d.baseClientName)} when you edited it).`}
                busy={resolve.isPending}
                mineLabel="Keep mine"
                onResolve={(keep) => resolve.mutate({ id: d.id, keep }, { onError: failed('Not resolved') })}
              />
            ) : (
              <>
                <p>
                  {client(d.baseClientName)} → <strong>{client(d.clientName)}</strong>
                </p>
                {d.error && <p className="field-error">{d.error}</p>}
                <Button size="sm" variant="ghost" busy={discard.isPending} onClick={() => discard.mutate(d.id, { onError: failed('Not discarded') })}>
                  Discard
                </Button>
              </>
            )}
          </li>
        ))}
    </KeptEditSection>
  );
}
