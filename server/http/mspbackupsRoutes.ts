import type { z } from 'zod';
import { mspBackupsCompaniesSchema, mspBackupsConfigInputSchema, mspBackupsConfigSchema } from '../../shared/mspbackups.js';
import type { RestRoute } from './restRoutes.js';

// Rows of the REST route table (restRoutes.ts) for the legacy MSPBackups API.

export const mspbackupsRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/mspbackups/config',
    summary: "The legacy MSPBackups settings of this partner, the password as {isSet, last4}; 404 when none",
    tag: 'mspbackups',
    auth: true,
    output: mspBackupsConfigSchema,
    call: (caller) => caller.mspbackups.config(),
  },
  {
    method: 'PUT',
    path: '/api/mspbackups/config',
    summary: 'Create or replace the MSPBackups settings (partner admin); a password left out, blank or masked is kept',
    tag: 'mspbackups',
    auth: true,
    input: mspBackupsConfigInputSchema,
    output: mspBackupsConfigSchema,
    call: (caller, input) => caller.mspbackups.saveConfig(input as z.input<typeof mspBackupsConfigInputSchema>),
  },
  {
    method: 'GET',
    path: '/api/mspbackups/companies',
    summary: 'The backup companies MSP360 lists for the saved API login (409 when turned off or refused, 503 when MSP360 fails)',
    tag: 'mspbackups',
    auth: true,
    output: mspBackupsCompaniesSchema,
    call: (caller) => caller.mspbackups.companies(),
  },
];
