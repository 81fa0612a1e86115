import { useMemo, useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { ConfigVersion } from '../../../shared/integrations/versions.js';
import { useVersions } from '../../app/data/hooks/useVersions.js';
import { Button } from '../../components/Button.js';
import { RollbackDialog } from './RollbackDialog.js';
import { fieldLabels, lastPassing } from './versionChanges.js';

/**
 * The Status panel's way out of an Error: back to the newest earlier version that passed a check.
 * Renders nothing until the (shared) version list says there is one.
 */
export function LastPassingRollback({ detail, online }: { detail: IntegrationDetail; online: boolean }) {
  const versions = useVersions(detail.key, true);
  const labels = useMemo(() => fieldLabels(detail.fields), [detail.fields]);
  const [target, setTarget] = useState<ConfigVersion | null>(null);
  const items = versions.data?.items ?? [];
  const passing = lastPassing(items);
  if (!passing) return null;
  return (
    <>
      <Button variant="primary" onClick={() => setTarget(passing)}>
        Roll back to the last passing version ({passing.version})
      </Button>
      <RollbackDialog detail={detail} versions={items} target={target} labels={labels} online={online} onClose={() => setTarget(null)} />
    </>
  );
}
