import { useState } from 'react';
import './UpdatePrompt.css';
import { useUpdateStatus, type UpdateBridge } from './useUpdateStatus';

/**
 * "Update ready — restart?": shown once an update is downloaded. Only the button installs it
 * (the shell never installs on its own, not even on quit); "Later" hides it for this version.
 */
export function UpdatePrompt({ bridge = window.integrationCenter }: { bridge?: UpdateBridge }) {
  const status = useUpdateStatus(bridge);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [restarting, setRestarting] = useState(false);
  if (!bridge || status?.state !== 'ready' || !status.version || dismissed === status.version) return null;
  const version = status.version;
  return (
    <div className="update-prompt card" role="alertdialog" aria-labelledby="update-ready-title" aria-describedby="update-ready-text">
      <h2 id="update-ready-title">Update ready</h2>
      <p id="update-ready-text">Integration Center {version} is ready. Restart now to install it? Your drafts are kept.</p>
      <div className="row">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          disabled={restarting}
          onClick={() => {
            setRestarting(true);
            bridge.restartToUpdate().then(
              (started) => setRestarting(started),
              () => setRestarting(false),
            );
          }}
        >
          {restarting ? 'Restarting…' : 'Restart now'}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setDismissed(version)}>
          Later
        </button>
      </div>
    </div>
  );
}
