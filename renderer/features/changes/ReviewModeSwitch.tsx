import { useState } from 'react';
import { useSetReviewMode, useSyncStatus } from '../../app/data/hooks/useSync.js';
import { useToast } from '../../components/Toast.js';

/**
 * "Review changes before applying": follows the click at once (the saved value arrives a moment
 * later), and says so in a toast; a failure flips it back and says why.
 */
export function ReviewModeSwitch({ describedBy, announce = false }: { describedBy: string; announce?: boolean }) {
  const sync = useSyncStatus();
  const review = useSetReviewMode();
  const toast = useToast();
  const [clicked, setClicked] = useState<boolean | null>(null);
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={clicked ?? sync.data?.reviewMode ?? false}
        disabled={!sync.data}
        aria-describedby={describedBy}
        onChange={(e) => {
          const on = e.target.checked;
          setClicked(on);
          review.mutate(on, {
            onSuccess: () => announce && toast({ tone: 'success', title: on ? 'Review mode on' : 'Review mode off' }),
            onError: (error) => toast({ tone: 'error', title: 'Couldn’t change review mode', body: error.message }),
            onSettled: () => setClicked(null),
          });
        }}
      />
      <span>Review changes before applying</span>
    </label>
  );
}
