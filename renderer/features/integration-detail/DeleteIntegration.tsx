import { useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useDeleteIntegration } from '../../app/data/hooks/useIntegrationMutations.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { useToast } from '../../components/Toast.js';

/** "Delete configuration" behind a confirmation that says what goes and what stays. */
export function DeleteIntegration({ detail, partnerName }: { detail: IntegrationDetail; partnerName: string }) {
  const [open, setOpen] = useState(false);
  const toast = useToast();
  const remove = useDeleteIntegration({
    onSuccess: (result) => {
      if (result.outcome === 'applied') toast({ tone: 'success', title: `${detail.name} configuration deleted` });
      else toast({ tone: 'info', title: 'Delete saved as a draft', body: 'Apply it from Pending changes.' });
    },
    onError: (e) => toast({ tone: 'error', title: 'Couldn’t delete the configuration', body: e.message }),
  });

  const confirm = () => remove.mutate({ key: detail.key }, { onSuccess: () => setOpen(false) });

  return (
    <section className="card danger-zone" aria-labelledby="danger-zone-title">
      <div className="card-body stack">
        <div>
          <h2 id="danger-zone-title">Delete configuration</h2>
          <p className="muted">Removes the saved settings and credentials. The audit history stays.</p>
        </div>
        <div>
          <Button variant="danger" onClick={() => setOpen(true)}>
            Delete configuration…
          </Button>
        </div>
      </div>
      <ConfirmDialog open={open} title={`Delete the ${detail.name} configuration?`} confirmLabel="Delete configuration" tone="danger" busy={remove.isPending} onConfirm={confirm} onCancel={() => setOpen(false)}>
        <p>
          This removes {partnerName}’s settings and stored credentials for {detail.name}. Health checks stop and its status becomes Not Configured.
        </p>
        <p>The audit history is kept.</p>
      </ConfirmDialog>
    </section>
  );
}
