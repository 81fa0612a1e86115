import type { SessionUser } from '../../../shared/auth.js';
import { AppError } from '../../../shared/errors.js';
import { auditPageSchema as serverAuditPageSchema, devPartnerListSchema } from '../../../shared/integrations/api.js';
import { maxAuditPageSize } from '../../../shared/integrations/api.js';
import type { AuditPage, AuditPageInput, PartnerRef } from '../../../shared/localApi.js';
import type { ServerExtras } from '../api/localServices.js';
import { serverFailure } from '../errors.js';
import { requestJson, type HttpOptions } from './serverClient.js';

/** What a server call needs from the session: the token (core only) and whose data is shown. */
export interface ServerAccess {
  token: string | null;
  user: SessionUser;
  viewingPartnerId: number;
}

/**
 * The local API's server calls beyond sync, over the server's tRPC procedures: the dev
 * partner's partner list (`dev.partners`) and audit pages older than the synced window
 * (`integrations.audit`, or `dev.audit` for a partner the dev partner is looking at).
 */
export function httpServerExtras(http: HttpOptions, access: () => ServerAccess | null): ServerExtras {
  const call = async (procedure: string, input: unknown) => {
    const a = access();
    if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (!a.token) throw new AppError('UNAUTHORIZED', 'Sign in again to reach the server');
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    try {
      const json = await requestJson(http, 'GET', `/trpc/${procedure}${query}`, { token: a.token });
      return (json as { result?: { data?: unknown } } | null)?.result?.data;
    } catch (error) {
      throw serverFailure(error, { offline: 'The server cannot be reached; older entries need a connection', unauthorized: 'Sign in again to reach the server' });
    }
  };
  return {
    async listPartners(): Promise<PartnerRef[]> {
      const a = access();
      if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
      // Only the platform operator sees other partners; everyone else has just their own.
      if (!a.user.isDev) return [{ id: a.user.partnerId, name: a.user.partnerName }];
      const list = devPartnerListSchema.parse(await call('dev.partners', undefined));
      return list.items.map((p) => ({ id: p.id, name: p.name }));
    },
    async auditOlder(input: Required<AuditPageInput>): Promise<AuditPage> {
      const a = access();
      if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
      const own = a.viewingPartnerId === a.user.partnerId;
      const query = { key: input.key, cursor: String(input.before), limit: Math.min(input.limit, maxAuditPageSize) };
      const page = serverAuditPageSchema.parse(await call(own ? 'integrations.audit' : 'dev.audit', own ? query : { ...query, partnerId: a.viewingPartnerId }));
      return { entries: page.items, nextBefore: page.nextCursor === null ? null : Number(page.nextCursor), source: 'server' };
    },
  };
}
