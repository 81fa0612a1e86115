import type { Msp360PlanSpec } from '../integrations/msp360/fakeServer.js';
import type { SyncroTicketSpec } from '../integrations/syncro/fakeServer.js';
import { demoClientWorlds } from './demoClients.js';

/**
 * What the demo's fake vendors hold besides organizations (issue 15): tickets at Syncro for every
 * named customer, and backup plan runs at MSP360, so the guided flow ("find the Dataforth ticket
 * about backups, add today's work, attach the backup summary") has something true to find.
 * Times are relative to now, so a demo started any day shows recent work.
 */

/** The demo's backup ticket: Dataforth's open one, which the walk-through comments on. */
export const dataforthBackupTicket = {
  syncroCustomerId: 9,
  subject: 'Nightly backup failing on DF-FS01',
} as const;

/** The subjects the other named customers' tickets rotate through. */
const everydaySubjects = [
  'Printer on 2nd floor offline',
  'New starter laptop setup',
  'Outlook keeps asking for password',
  'VPN disconnects every hour',
  'Replace failing UPS battery',
  'Shared drive permissions for accounts team',
  'Windows updates pending reboot',
  'Phishing e-mail reported by staff',
];
const statuses = ['New', 'In Progress', 'Waiting on Customer', 'Resolved'];

/** Tickets for every named customer of a demo world (2–3 each), Dataforth's backup ticket first. */
export function demoSyncroTickets(world: keyof typeof demoClientWorlds): SyncroTicketSpec[] {
  const tickets: SyncroTicketSpec[] = [];
  if (world === 'northwind') {
    tickets.push(
      {
        customerId: dataforthBackupTicket.syncroCustomerId,
        subject: dataforthBackupTicket.subject,
        status: 'In Progress',
        problemType: 'Backup',
        createdHoursAgo: 30,
        comments: [
          { subject: 'Initial Issue', body: 'The nightly file server backup on DF-FS01 reported an error again last night. Can you take a look?', tech: 'Dana (Dataforth)', hoursAgo: 30 },
          { subject: 'Update', body: 'Checked the MSP360 agent: the backup service account password expired. Investigating.', tech: 'Northwind tech', hidden: true, hoursAgo: 26 },
        ],
      },
      { customerId: dataforthBackupTicket.syncroCustomerId, subject: 'Add new user mailbox for finance', status: 'Resolved', createdHoursAgo: 240 },
    );
  }
  for (const id of Object.keys(demoClientWorlds[world].syncro).map(Number)) {
    const count = 2 + (id % 2);
    for (let n = 0; n < count; n++) {
      const k = id * 3 + n;
      tickets.push({ customerId: id, subject: everydaySubjects[k % everydaySubjects.length] ?? 'Support request', status: statuses[k % statuses.length], createdHoursAgo: 6 + ((k * 37) % 400) });
    }
  }
  return tickets;
}

/**
 * Northwind's MSP360 plan runs: Dataforth (company 3, "Dataforth Corp") has a recent failure on
 * DF-FS01 and successes elsewhere; the other named companies have successful plans, one overdue.
 */
export function demoMsp360Plans(world: keyof typeof demoClientWorlds): Msp360PlanSpec[] {
  if (world === 'contoso') {
    return [
      { company: 1, computerName: 'FC-POS01', planName: 'Daily files', status: 'Success', lastStartHoursAgo: 14, dataCopiedBytes: 2_400_000_000 },
      { company: 2, computerName: 'HI-SQL01', planName: 'SQL nightly', planType: 'MSSQL', status: 'Success', lastStartHoursAgo: 9, dataCopiedBytes: 18_600_000_000 },
    ];
  }
  return [
    {
      company: 3,
      computerName: 'DF-FS01',
      planName: 'Nightly file server',
      status: 'Error',
      lastStartHoursAgo: 8,
      errorMessage: 'Access denied: the backup service account could not log on (password expired)',
      durationMinutes: 2,
    },
    { company: 3, computerName: 'DF-DC01', planName: 'System state', planType: 'ImageBased', status: 'Success', lastStartHoursAgo: 7, dataCopiedBytes: 14_200_000_000, durationMinutes: 48 },
    { company: 3, computerName: 'DF-SQL01', planName: 'SQL nightly', planType: 'MSSQL', status: 'Success', lastStartHoursAgo: 6, dataCopiedBytes: 3_900_000_000, durationMinutes: 21 },
    { company: 3, computerName: 'DF-WS-ACCT1', planName: 'Desktop files', status: 'Warning', lastStartHoursAgo: 30, dataCopiedBytes: 640_000_000, errorMessage: '3 files were skipped because they were in use' },
    { company: 1, computerName: 'HDG-SRV01', planName: 'Daily files', status: 'Success', lastStartHoursAgo: 10, dataCopiedBytes: 5_100_000_000 },
    { company: 2, computerName: 'BWL-NAS', planName: 'NAS to cloud', status: 'Success', lastStartHoursAgo: 12, dataCopiedBytes: 22_000_000_000 },
    { company: 4, computerName: 'SR-OFFICE', planName: 'Daily files', status: 'Overdue', lastStartHoursAgo: 80, dataCopiedBytes: 800_000_000 },
    { company: 5, computerName: 'EVG-PC1', planName: 'Daily files', status: 'Success', lastStartHoursAgo: 16, dataCopiedBytes: 300_000_000 },
  ];
}
