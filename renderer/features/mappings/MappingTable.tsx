import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { Client } from '../../../shared/clients.js';
import { Badge } from '../../components/Badge.js';
import { chosenClientId, type MappingRow } from './mappingRows.js';

/** Fixed row height: the virtualiser places rows by it, and the CSS keeps every row to it. */
export const mappingRowHeight = 52;

export interface MappingTableProps {
  rows: MappingRow[];
  vendor: string;
  /** Live clients to choose from; null: read-only (technicians, another partner). */
  choices: Client[] | null;
  busy: boolean;
  isSelected(row: MappingRow): boolean;
  onSelect(row: MappingRow, selected: boolean): void;
  onMap(row: MappingRow, clientId: number | null): void;
}

function OrganizationCell({ row, vendor }: { row: MappingRow; vendor: string }) {
  return (
    <div className="mapping-org">
      <span className="mapping-org-name">{row.orgName}</span>
      {row.change === 'new' && <Badge tone="info">New</Badge>}
      {row.change === 'renamed' && <Badge tone="info">{`Renamed, was ${row.previousName ?? 'another name'}`}</Badge>}
      {row.missing && <Badge tone="warn">{`Missing at ${vendor}`}</Badge>}
      {row.draft?.state === 'queued' && <Badge tone="neutral">Not sent yet</Badge>}
      {row.draft?.state === 'conflict' && <Badge tone="danger">Conflict</Badge>}
      {row.draft?.state === 'rejected' && <Badge tone="danger">Refused</Badge>}
    </div>
  );
}

function ClientCell({ row, choices, busy, onMap }: { row: MappingRow; choices: Client[] | null; busy: boolean; onMap: MappingTableProps['onMap'] }) {
  if (!choices) return row.client ? <span>{row.client.name}</span> : <span className="muted">Not mapped</span>;
  const chosen = chosenClientId(row);
  // An archived client keeps its mappings: it stays listed for the organization it holds.
  const options = row.client && row.client.archived ? [...choices, row.client] : choices;
  return (
    <select
      className="input mapping-select"
      aria-label={`Client for ${row.orgName}`}
      value={chosen === null ? '' : String(chosen)}
      disabled={busy}
      onChange={(e) => onMap(row, e.target.value === '' ? null : Number(e.target.value))}
    >
      <option value="">Not mapped</option>
      {options.map((c) => (
        <option key={c.id} value={c.id}>
          {c.archived ? `${c.name} (archived)` : c.name}
        </option>
      ))}
    </select>
  );
}

/**
 * The organizations and their clients. Only the rows in view are rendered (1,500 organizations
 * scroll as smoothly as 15); padding rows above and below keep the scroll height and the table's
 * own semantics, and aria-rowcount / aria-rowindex tell assistive technology the full size.
 */
export function MappingTable({ rows, vendor, choices, busy, isSelected, onSelect, onMap }: MappingTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualiser re-renders this component itself on scroll; nothing here is memoised on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => mappingRowHeight, overscan: 8 });
  const items = virtual.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);
  const columns = choices ? 4 : 3;
  return (
    <div className="mapping-scroll" ref={scroller} role="region" aria-label={`Organizations at ${vendor} and their clients`} tabIndex={0}>
      <table className="mapping-table" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {choices && (
              <th scope="col" className="mapping-check">
                <span className="visually-hidden">Accept</span>
              </th>
            )}
            <th scope="col">Organization</th>
            <th scope="col">Client</th>
            <th scope="col">Suggestion</th>
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden="true" style={{ height: top }}>
              <td colSpan={columns} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <tr key={row.orgId} aria-rowindex={item.index + 2} style={{ height: mappingRowHeight }}>
                {choices && (
                  <td className="mapping-check">
                    {row.suggestion && (
                      <input
                        type="checkbox"
                        checked={isSelected(row)}
                        disabled={busy}
                        aria-label={`Accept ${row.suggestion.client.name} for ${row.orgName}`}
                        onChange={(e) => onSelect(row, e.target.checked)}
                      />
                    )}
                  </td>
                )}
                <td>
                  <OrganizationCell row={row} vendor={vendor} />
                </td>
                <td>
                  <ClientCell row={row} choices={choices} busy={busy} onMap={onMap} />
                </td>
                <td>
                  {row.suggestion ? (
                    <span>
                      {row.suggestion.client.name}{' '}
                      <span className="muted">{row.suggestion.preselect ? '· same name' : `· ${Math.round(row.suggestion.score * 100)}% similar`}</span>
                    </span>
                  ) : (
                    <span className="muted">
                      <span aria-hidden="true">—</span>
                      <span className="visually-hidden">No suggestion</span>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden="true" style={{ height: bottom }}>
              <td colSpan={columns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
