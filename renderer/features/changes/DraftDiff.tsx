import type { DiffRow } from './draftDiff.js';

/** "Server now" against "Draft" for each changed field. */
export function DraftDiff({ rows, caption }: { rows: DiffRow[]; caption: string }) {
  if (rows.length === 0) return <p className="muted">This draft matches the server’s current settings; applying it changes nothing.</p>;
  return (
    <table className="diff-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Server now</th>
          <th scope="col">Draft</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            <td className="diff-before">{row.server}</td>
            <td className={row.secret ? 'diff-after diff-secret' : 'diff-after'}>{row.draft}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
