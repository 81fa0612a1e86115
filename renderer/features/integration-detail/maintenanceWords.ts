import type { MaintenanceWindow } from '../../../shared/integrations/maintenance.js';
import { formatAbsolute } from '../../components/RelativeTime.js';

/** The window holding this integration's alerts now, if any (the list is soonest first). */
export function activeWindow(items: readonly MaintenanceWindow[]): MaintenanceWindow | undefined {
  return items.find((w) => w.state === 'active');
}

/** The banner's sentence, one wording for the detail and the tests. */
export function maintenanceBannerText(w: MaintenanceWindow): string {
  return `In maintenance until ${formatAbsolute(w.endsAt)}: alerts are held — ${w.reason}`;
}

/** Durations offered by the form, in minutes; the server allows up to 7 days. */
export const maintenanceDurations: { minutes: number; label: string }[] = [
  { minutes: 30, label: '30 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 120, label: '2 hours' },
  { minutes: 240, label: '4 hours' },
  { minutes: 480, label: '8 hours' },
  { minutes: 1440, label: '1 day' },
  { minutes: 4320, label: '3 days' },
  { minutes: 10080, label: '7 days' },
];

/**
 * The form's values as the server's input: a blank start is "now"; a `datetime-local` value is
 * the computer's local time. The end is the start plus the chosen duration.
 */
export function windowInput(form: { start: string; minutes: number; reason: string; partnerWide: boolean }, key: string, now = Date.now()) {
  const start = form.start ? new Date(form.start).getTime() : now;
  return {
    ...(form.partnerWide ? {} : { integrationKey: key }),
    // Sent even for "now", so the window lasts exactly the chosen duration (the server allows a
    // start a few minutes in the past for the clocks' difference).
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + form.minutes * 60_000).toISOString(),
    reason: form.reason,
  };
}
