import type { z } from 'zod';
import { m365LicensesOutput, m365SecureScoreOutput, m365TenantsListOutput } from '../../../shared/actions/microsoft365.js';
import { AppError } from '../../../shared/errors.js';
import { clientTenantsViewSchema, type ClientTenant, type ClientTenantsView } from '../../../shared/localMicrosoft365.js';
import { getCachedRead, putCachedRead } from '../cache/serverReads.js';
import type { ActionServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';
import { refuseOperator } from './actionRequests.js';

export interface ClientTenantsService {
  clientTenants(clientId: number): Promise<ClientTenantsView>;
}

/** What a screen says offline before this client's tenants were ever read here. */
export const tenantsNeedServer = "This client's Microsoft 365 tenants are read from Microsoft through the server; they need a connection the first time";

const consentFixes = new Set(['not_consented', 'app_missing', 'gdap_not_authorized']);

/**
 * A client's Microsoft 365 tenants as its screen shows them (issue 26): consent per tenant
 * (`tenants.list`, which asks each tenant's token endpoint now), licenses (`licenses.summary`) and
 * Secure Score (`secure_score.get`), read through the generic actions at once and joined per
 * tenant; one tenant's failure stays beside the others' rows. The joined reading is kept in
 * `cached_reads` (no token, no secret: what the screen shows) and answers when the server cannot
 * be reached, with the time it was read.
 */
export function createClientTenants(options: { session: DesktopSession; server: ActionServer; now?: () => Date }): ClientTenantsService {
  const { session, server } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();

  async function run<S extends z.ZodType>(actionId: string, clientId: number, schema: S): Promise<{ value: z.infer<S> } | { error: string }> {
    const result = await server.run({ actionId, input: { clientId } });
    if (result.status === 'failed') return { error: result.error?.message ?? 'Microsoft 365 did not answer' };
    return { value: schema.parse(result.output) };
  }

  async function read(clientId: number): Promise<ClientTenant[]> {
    const [list, licenses, scores] = await Promise.all([
      run('microsoft365.tenants.list', clientId, m365TenantsListOutput),
      run('microsoft365.licenses.summary', clientId, m365LicensesOutput),
      run('microsoft365.secure_score.get', clientId, m365SecureScoreOutput),
    ]);
    if ('error' in list) throw new AppError('VENDOR_ERROR', list.error);
    /** A tenant's own failure in a run, or the whole run's. */
    const failure = (got: { value: { tenants: { tenantId: string; ok: boolean; error: string | null }[] } } | { error: string }, tenantId: string): string | null => {
      if ('error' in got) return got.error;
      const outcome = got.value.tenants.find((t) => t.tenantId.toLowerCase() === tenantId);
      return outcome && !outcome.ok ? (outcome.error ?? 'this tenant did not answer') : null;
    };
    return list.value.tenants.map((t) => {
      const id = t.tenantId.toLowerCase();
      const licenseError = failure(licenses, id);
      const scoreError = failure(scores, id);
      const score = 'value' in scores ? scores.value.scores.find((s) => s.tenantId.toLowerCase() === id) : undefined;
      return {
        tenantId: t.tenantId,
        tenantName: t.tenantName,
        consent: t.consent,
        reason: t.reason,
        consentFixes: consentFixes.has(t.consent),
        licenses: licenseError ? { value: null, error: licenseError } : { value: 'value' in licenses ? licenses.value.licenses.filter((l) => l.tenantId.toLowerCase() === id) : [], error: null },
        secureScore: scoreError
          ? { value: null, error: scoreError }
          : { value: score ? { currentScore: score.currentScore, maxScore: score.maxScore, percent: score.percent, createdDateTime: score.createdDateTime } : null, error: null },
      };
    });
  }

  return {
    async clientTenants(clientId) {
      const cache = session.requireOwnPartner();
      refuseOperator(session);
      const doc = `microsoft365.client:${clientId}`;
      if (session.serverAccess()?.token) {
        try {
          const view: ClientTenantsView = { tenants: await read(clientId), fetchedAt: now(), fromCache: false };
          putCachedRead(cache.db, doc, view, view.fetchedAt);
          return view;
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'UNAVAILABLE')) throw error;
        }
      }
      const cached = getCachedRead(cache.db, doc, clientTenantsViewSchema);
      if (!cached) throw new AppError('UNAVAILABLE', tenantsNeedServer);
      return { ...cached.value, fetchedAt: cached.fetchedAt, fromCache: true };
    },
  };
}
