import { useId, useState, type FormEvent } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { MaintenanceWindow } from '../../../shared/integrations/maintenance.js';
import { useEndMaintenance, useMaintenance, useScheduleMaintenance } from '../../app/data/hooks/useMaintenance.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import { formatAbsolute } from '../../components/RelativeTime.js';
import { useToast } from '../../components/Toast.js';
import { maintenanceDurations, windowInput } from './maintenanceWords.js';

function WindowRow({ w, canEnd, onEnd, busy }: { w: MaintenanceWindow; canEnd: boolean; onEnd(): void; busy: boolean }) {
  return (
    <li className="maintenance-row">
      <div>
        <strong>
          {formatAbsolute(w.startsAt)} – {formatAbsolute(w.endsAt)}
        </strong>{' '}
        {w.state === 'active' ? <Badge tone="warn">In progress</Badge> : w.state === 'upcoming' ? <Badge tone="info">Upcoming</Badge> : <Badge tone="neutral">Ended</Badge>}
        {w.integrationKey === null && <Badge tone="neutral">All integrations</Badge>}
      </div>
      <p className="muted">
        {w.reason} · by {w.actor}
      </p>
      {canEnd && w.state !== 'ended' && (
        <div>
          <Button onClick={onEnd} busy={busy}>
            {w.state === 'active' ? 'End now' : 'Cancel'}
          </Button>
        </div>
      )}
    </li>
  );
}

/**
 * Issue 18 §4 on the detail screen: the windows covering this integration and, for partner
 * admins online, a small form to schedule one (this integration or all) and a button to end or
 * cancel each. Dates and overlaps are the server's to judge: its field messages show under the
 * fields they name.
 */
export function MaintenanceCard({ detail, canMutate, online }: { detail: IntegrationDetail; canMutate: boolean; online: boolean }) {
  const headingId = useId();
  const formId = useId();
  const windows = useMaintenance(detail.key, true);
  const schedule = useScheduleMaintenance();
  const end = useEndMaintenance();
  const toast = useToast();
  const [form, setForm] = useState({ start: '', minutes: 120, reason: '', partnerWide: false });
  const items = windows.data?.items ?? [];
  const fields = schedule.error?.fields ?? {};
  const canChange = canMutate && online;

  function submit(event: FormEvent) {
    event.preventDefault();
    schedule.mutate(windowInput(form, detail.key), {
      onSuccess: (w) => {
        toast({ tone: 'success', title: 'Maintenance scheduled', body: `Alerts are held until ${formatAbsolute(w.endsAt)}` });
        setForm((f) => ({ ...f, start: '', reason: '' }));
      },
    });
  }
  function endWindow(w: MaintenanceWindow) {
    end.mutate(w.id, {
      onSuccess: (r) => toast({ tone: 'success', title: r.outcome === 'ended' ? 'Maintenance ended' : 'Maintenance cancelled', body: r.outcome === 'ended' ? 'Alerts are sent again; a changed state was sent once.' : undefined }),
      onError: (e) => toast({ tone: 'error', title: 'Couldn’t end the maintenance window', body: e.message }),
    });
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>Maintenance</h2>
        <span className="muted">Checks go on; alerts and webhooks wait until the window ends.</span>
      </div>
      <div className="card-body stack">
        {windows.isError ? (
          <p className="muted">{windows.error.code === 'UNAVAILABLE' ? 'Maintenance windows are kept on the server and need a connection.' : windows.error.message}</p>
        ) : items.length === 0 ? (
          <p className="muted">{windows.isPending ? 'Loading…' : 'No maintenance scheduled.'}</p>
        ) : (
          <ul className="maintenance-list" aria-label="Maintenance windows">
            {items.map((w) => (
              <WindowRow key={w.id} w={w} canEnd={canChange} busy={end.isPending && end.variables === w.id} onEnd={() => endWindow(w)} />
            ))}
          </ul>
        )}
        {!canMutate ? (
          <p className="muted">Only partner admins can schedule maintenance.</p>
        ) : !online ? (
          <p className="muted">Scheduling maintenance needs a connection.</p>
        ) : (
          <form className="stack" onSubmit={submit} aria-label="Schedule maintenance">
            <Field id={`${formId}-start`} label="Starts" help="Leave blank to start now." error={fields.startsAt?.[0] ?? null}>
              {(a11y) => <input {...a11y} className="input" type="datetime-local" value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} />}
            </Field>
            <Field id={`${formId}-duration`} label="Duration" error={fields.endsAt?.[0] ?? null}>
              {(a11y) => (
                <select {...a11y} className="input" value={form.minutes} onChange={(e) => setForm({ ...form, minutes: Number(e.target.value) })}>
                  {maintenanceDurations.map((d) => (
                    <option key={d.minutes} value={d.minutes}>
                      {d.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`${formId}-reason`} label="Reason" required error={fields.reason?.[0] ?? null}>
              {(a11y) => <input {...a11y} className="input" maxLength={500} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />}
            </Field>
            <Field id={`${formId}-scope`} label={`All integrations of this partner, not only ${detail.name}`} inline>
              {(a11y) => <input {...a11y} type="checkbox" checked={form.partnerWide} onChange={(e) => setForm({ ...form, partnerWide: e.target.checked })} />}
            </Field>
            {schedule.isError && !schedule.error.fields && <p className="field-error" role="alert">{schedule.error.message}</p>}
            <div>
              <Button type="submit" variant="primary" busy={schedule.isPending}>
                Schedule maintenance
              </Button>
            </div>
          </form>
        )}
      </div>
    </section>
  );
}
