/** Why mutation controls are absent, said once near the top. */
export function ReadOnlyNote({ reason }: { reason: string }) {
  return (
    <div className="notice notice-info" role="note">
      <p>
        <strong>Read-only. </strong>
        {reason}
      </p>
    </div>
  );
}
