import { useState, type FormEvent } from 'react';
import type { Client } from '../../../shared/clients.js';
import type { Mapping } from '../../../shared/clients.js';
import { useClientMutations } from '../../app/data/hooks/useMappings.js';
import { hrefFor } from '../../app/router.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { useToast } from '../../components/Toast.js';

interface ClientRowProps {
  client: Client;
  mappings: Mapping[];
  integrationName(key: string): string;
  canMutate: boolean;
  online: boolean;
}

/** One client: its name (renamed in place), its mappings per integration, archive. */
export function ClientRow({ client, mappings, integrationName, canMutate, online }: ClientRowProps) {
  const { rename, archive } = useClientMutations();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(client.name);
  const [error, setError] = useState<string | null>(null);
  const inputId = `client-${client.id}-name`;

  const onRename = (e: FormEvent) => {
    e.preventDefault();
    // The version edited: a rename made meanwhile elsewhere is a conflict, not overwritten.
    rename.mutate(
      { id: client.id, name, baseVersion: client.version },
      {
        onSuccess: (renamed) => {
          setEditing(false);
          setError(null);
          toast({ tone: 'success', title: `Renamed to ${renamed.name}` });
        },
        onError: (err) => setError(err.fields?.name?.join(' ') ?? err.message),
      },
    );
  };

  const onArchive = () =>
    archive.mutate(client.id, {
      onSuccess: () => toast({ tone: 'success', title: `${client.name} archived`, body: 'Its mappings are kept.' }),
      onError: (err) => toast({ tone: 'error', title: 'Not archived', body: err.message }),
    });

  return (
    <tr>
      <th scope="row">
        {editing ? (
          <form className="clients-rename" onSubmit={onRename} noValidate>
            <label htmlFor={inputId} className="visually-hidden">
              {`New name for ${client.name}`}
            </label>
            <input id={inputId} className="input" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${inputId}-error` : undefined} />
            <Button type="submit" size="sm" variant="primary" busy={rename.isPending}>
              Save
            </Button>
            <Button size="sm" variant="ghost" onClick={() => { setEditing(false); setName(client.name); setError(null); }}>
              Cancel
            </Button>
            {error && (
              <p id={`${inputId}-error`} className="field-error">
                {error}
              </p>
            )}
          </form>
        ) : (
          <span className="clients-name">
            <a href={hrefFor({ name: 'client', id: client.id })}>{client.name}</a> {client.archived && <Badge tone="neutral">Archived</Badge>}
          </span>
        )}
      </th>
      <td>
        {mappings.length === 0 ? (
          <span className="muted">No mappings</span>
        ) : (
          <ul className="clients-mappings">
            {mappings.map((m) => (
              <li key={`${m.integrationKey}:${m.externalOrgId}`}>
                <a href={hrefFor({ name: 'mappings', key: m.integrationKey })}>{integrationName(m.integrationKey)}</a>: {m.externalOrgName || m.externalOrgId}
                {m.missingAtVendor && <> <Badge tone="warn">Missing at the vendor</Badge></>}
              </li>
            ))}
          </ul>
        )}
      </td>
      {canMutate && (
        <td className="clients-actions">
          {!editing && !client.archived && (
            <>
              <Button size="sm" onClick={() => setEditing(true)} disabled={!online} aria-label={`Rename ${client.name}`}>
                Rename
              </Button>
              <Button size="sm" variant="ghost" onClick={onArchive} busy={archive.isPending} disabled={!online} aria-label={`Archive ${client.name}`}>
                Archive
              </Button>
            </>
          )}
        </td>
      )}
    </tr>
  );
}
