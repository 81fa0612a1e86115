import { useMemo, useState } from 'react';
import { useAutomationList, useAutomationMutations, useRecipes } from '../../app/data/hooks/useAutomations.js';
import { useIntegrations } from '../../app/data/hooks/useIntegrations.js';
import { hrefFor, navigate } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { savedOfflineTitle, useAutomationAccess } from './access.js';
import { triggerSummary } from './editorModel.js';
import { OutcomeBadge, PendingBadge, ReadMark, successRate } from './parts.js';
import { RunHistory } from './RunHistory.js';
import './Automations.css';

/** The recipes, each added in one more click (disabled: its placeholders are the partner's to fill in). */
function RecipePicker({ onClose }: { onClose(): void }) {
  const recipes = useRecipes(true);
  const { addRecipe } = useAutomationMutations();
  const toast = useToast();
  return (
    <section className="card" aria-labelledby="recipes-title">
      <div className="card-header row automations-runs-header">
        <h2 id="recipes-title">Add from recipe</h2>
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <div className="card-body">
        {recipes.isPending ? (
          <Skeleton height={120} />
        ) : recipes.isError ? (
          <p className="notice notice-danger">{recipes.error.message}</p>
        ) : (
          <ul className="automations-recipes">
            {recipes.data.items.map((r) => (
              <li key={r.id} className="automations-recipe">
                <h3>{r.name}</h3>
                <p className="muted">{r.description}</p>
                <Button
                  variant="primary"
                  busy={addRecipe.isPending && addRecipe.variables === r.id}
                  disabled={addRecipe.isPending}
                  aria-label={`Add ${r.name}`}
                  onClick={() =>
                    addRecipe.mutate(r.id, {
                      onSuccess: (made) => {
                        toast({ tone: 'success', title: 'Recipe added', body: 'It is disabled: adjust its steps, then enable it.' });
                        navigate({ name: 'automation', id: made.id });
                      },
                      onError: (e) => toast({ tone: 'error', title: 'Not added', body: e.message }),
                    })
                  }
                >
                  Add
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/**
 * The partner's automations (issue 23 §7): each with its switch, trigger, last run and success
 * rate; recipes added in two clicks; and the run history of all of them. Everyone of the partner
 * reads it (offline: the copy the core kept, said so); partner admins change it, offline too
 * (kept, marked Pending, sent on reconnect); recipes need the server.
 */
export function AutomationsScreen() {
  const list = useAutomationList();
  const integrations = useIntegrations();
  const access = useAutomationAccess(list.data?.fromCache);
  const { setEnabled } = useAutomationMutations();
  const toast = useToast();
  const [recipesOpen, setRecipesOpen] = useState(false);
  const names = useMemo(() => new Map((integrations.data ?? []).map((i) => [i.key, i.name])), [integrations.data]);

  return (
    <div className="automations stack">
      <header className="page-header">
        <div>
          <h1>Automations</h1>
          <p className="muted">An event runs a chain of actions: a health change, an inbound webhook, a schedule or a click on Run now.</p>
        </div>
        {access.canEdit && (
          <div className="row">
            {access.canRun && <Button onClick={() => setRecipesOpen(true)}>Add from recipe</Button>}
            <a className="btn btn-primary btn-md" href={hrefFor({ name: 'automation', id: 'new' })}>
              New automation
            </a>
          </div>
        )}
      </header>
      {access.reason && <p className="muted" data-testid="automations-readonly">{access.reason}</p>}
      {recipesOpen && access.canRun && <RecipePicker onClose={() => setRecipesOpen(false)} />}
      {list.isPending ? (
        <Skeleton height={160} />
      ) : list.isError ? (
        <EmptyState tone="error" title="Automations could not be read" action={<Button onClick={() => void list.refetch()}>Try again</Button>}>
          {list.error.message}
        </EmptyState>
      ) : (
        <>
          <ReadMark view={list.data} />
          {list.data.items.length === 0 ? (
            <EmptyState title="No automations yet">{access.canEdit ? 'Add one from a recipe, or start a new one.' : 'A partner admin adds them.'}</EmptyState>
          ) : (
            <table className="automations-table" aria-label="Automations">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Success rate</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <span className="row">
                        <a href={hrefFor({ name: 'automation', id: a.id })}>{a.name}</a>
                        {a.pending && <PendingBadge pending={a.pending} />}
                      </span>
                    </td>
                    <td>
                      <label className="switch">
                        <input
                          type="checkbox"
                          role="switch"
                          checked={a.enabled}
                          disabled={!access.canEdit || setEnabled.isPending}
                          aria-label={`${a.name} enabled`}
                          onChange={(e) =>
                            setEnabled.mutate(
                              { id: a.id, enabled: e.target.checked, baseVersion: a.version },
                              {
                                onSuccess: (saved) => {
                                  if (saved.pending) toast({ tone: 'success', title: savedOfflineTitle });
                                },
                                onError: (err) => toast({ tone: 'error', title: 'Not changed', body: err.message }),
                              },
                            )
                          }
                        />
                        <span>{a.enabled ? 'On' : 'Off'}</span>
                      </label>
                    </td>
                    <td>{triggerSummary(a.trigger, names)}</td>
                    <td>
                      {a.lastRun ? (
                        <a href={hrefFor({ name: 'automationRun', runId: a.lastRun.id })} className="row">
                          <OutcomeBadge status={a.lastRun.status} /> <RelativeTime iso={a.lastRun.at} />
                        </a>
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td>{successRate(a.successRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <RunHistory />
    </div>
  );
}
