import { useId, useState } from 'react';
import { Button } from '../../components/Button.js';
import { humanize } from './schemaForm.js';

type Row = Record<string, unknown>;

const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrimitive = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A value in a cell: text as is, times in local words, yes/no, an em dash for nothing, JSON for anything nested. */
function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'string' && isoTime.test(v)) return new Date(v).toLocaleString();
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** An array of objects as a table: the columns are the keys with plain values (at most 8). */
function Table({ rows, caption }: { rows: Row[]; caption: string }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => isPrimitive(r[k]))))].slice(0, 8);
  if (rows.length === 0) return <p className="muted">None.</p>;
  return (
    <div className="action-result-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="checks-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {humanize(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{cell(r[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One value, readably: a table for a list of objects, label/value pairs for an object. */
function Value({ value, name, depth }: { value: unknown; name: string; depth: number }) {
  if (Array.isArray(value) && value.length > 0 && value.every(isRow)) return <Table rows={value} caption={name} />;
  if (Array.isArray(value) && value.every(isPrimitive)) return <>{value.length === 0 ? '—' : value.map(cell).join(', ')}</>;
  if (isRow(value) && depth < 2) {
    // Lists of records get the full width under their own heading; the rest are label/value pairs.
    const entries = Object.entries(value);
    // At the top, nested records get a heading of their own too (a ticket, a comment).
    const tables = entries.filter(([, v]) => (Array.isArray(v) && v.length > 0 && v.every(isRow)) || (depth === 0 && isRow(v)));
    const pairs = entries.filter((e) => !tables.includes(e));
    return (
      <div className="stack">
        {pairs.length > 0 && (
          <dl className="kv kv-compact">
            {pairs.map(([k, v]) => (
              <div className="kv-row" key={k}>
                <dt>{humanize(k)}</dt>
                <dd>
                  <Value value={v} name={humanize(k)} depth={depth + 1} />
                </dd>
              </div>
            ))}
          </dl>
        )}
        {tables.map(([k, v]) => (
          <div key={k} className="stack action-result-table">
            <h3>{humanize(k)}</h3>
            {Array.isArray(v) ? <Table rows={v as Row[]} caption={humanize(k)} /> : <Value value={v} name={humanize(k)} depth={depth + 1} />}
          </div>
        ))}
      </div>
    );
  }
  return <>{cell(value)}</>;
}

/** An action's output as the user reads it, and the exact JSON on request. */
export function ResultView({ output, title }: { output: unknown; title: string }) {
  const [json, setJson] = useState(false);
  const id = useId();
  return (
    <div className="stack action-result" data-testid="action-result">
      <Value value={output} name={title} depth={0} />
      <div className="row">
        <Button size="sm" variant="ghost" onClick={() => setJson(!json)} aria-expanded={json} aria-controls={id}>
          {json ? 'Hide JSON' : 'Show JSON'}
        </Button>
      </div>
      {json && (
        <pre id={id} className="action-json" tabIndex={0} aria-label={`${title} as JSON`}>
          {JSON.stringify(output, null, 2)}
        </pre>
      )}
    </div>
  );
}
