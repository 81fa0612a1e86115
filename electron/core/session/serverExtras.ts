import { auditPageSchema as serverAuditPageSchema, devPartnerListSchema, maxAuditPageSize } from '../../../shared/integrations/api.js';
import type { AuditPage, AuditPageInput, PartnerRef } from '../../../shared/localApi.js';
import { AppError } from '../../../shared/errors.js';
import type { ServerAccess, ServerExtras } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = { offline: 'The server cannot be reached; older entries need a connection', unauthorized: 'Sign in again to reach the server' };

/**
 * The local API's server calls beyond sync, over the typed client: the dev partner's partner
 * list (`dev.partners`) and audit pages older than the synced window (`integrations.audit`, or
 * `dev.audit` for a partner the dev partner is looking at).
 */
export function httpServerExtras(http: HttpOptions, access: () => ServerAccess | null): ServerExtras {
  const call = signedInCaller(http, access, failures);
  return {
    async listPartners(): Promise<PartnerRef[]> {
      const a = access();
      if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
      // Only the platform operator sees other partners; everyone else has just their own.
      if (!a.user.isDev) return [{ id: a.user.partnerId, name: a.user.partnerName }];
      const list = devPartnerListSchema.parse(await call((api) => api.dev.partners.query()));
      return list.items.map((p) => ({ id: p.id, name: p.name }));
    },
    async auditOlder(input: Required<AuditPageInput>): Promise<AuditPage> {
      const a = access();
      if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
      const query = { key: input.key, cursor: String(input.before), limit: Math.min(input.limit, maxAuditPageSize) };
      const partnerId = a.viewingPartnerId;
      const raw = await call((api) => (partnerId === a.user.partnerId ? api.integrations.audit.query(query) : api.dev.audit.query({ ...query, partnerId })));
      const page = serverAuditPageSchema.parse(raw);
      return { entries: page.items, nextBefore: page.nextCursor === null ? null : Number(page.nextCursor), source: 'server' };
    },
  };
}
