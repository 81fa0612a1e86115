import type { FastifyInstance } from 'fastify';
import { auditPageSchema, integrationListSchema } from '../../shared/integrations/api.js';
import { listAuditLogs } from '../../server/db/auditLogs.js';
import { listConfigStates } from '../../server/db/integrationConfigs.js';
import { readAsPartner } from '../../server/db/partnerRead.js';
import { getAuditPage, listIntegrations, ownScope } from '../../server/services/integrations/catalog.js';
import type { Runtime } from '../../server/runtime.js';

/**
 * Where a catalog read's time goes (issue 19 §3): bench-only routes that stop after each step of
 * GET /api/integrations and of one audit page, so each step's cost is the difference between two
 * neighbours measured the same way (over HTTP, from the load process, interleaved):
 * raw (the statement on the pool) → scoped (readAsPartner: the partner-scope transaction) →
 * service (mapping rows to the API's shape) → validated (the zod output schema, as tRPC applies
 * it) → the real route (token, user, tRPC's caller and middlewares on top).
 */
export const catalogSteps = ['raw', 'scoped', 'service', 'validated'] as const;

export function addCatalogSteps(app: FastifyInstance, runtime: Runtime, target: { partnerId: number; auditKey: string }) {
  const { deps } = runtime;
  const listSql = 'SELECT * FROM integration_configurations WHERE partner_id = $1 ORDER BY integration_key';
  const auditSql = `SELECT * FROM integration_audit_logs WHERE partner_id = $1 AND integration_key = $2 ORDER BY id DESC LIMIT 51`;
  const list = {
    raw: async () => (await deps.db.pool.query(listSql, [target.partnerId])).rows,
    scoped: () => readAsPartner(deps.db, target.partnerId, (q) => listConfigStates(q, target.partnerId)),
    service: () => listIntegrations(deps, ownScope(target.partnerId), {}),
    validated: async () => integrationListSchema.parse(await listIntegrations(deps, ownScope(target.partnerId), {})),
  };
  const page = { key: target.auditKey, limit: 50 };
  const audit = {
    raw: async () => (await deps.db.pool.query(auditSql, [target.partnerId, target.auditKey])).rows,
    scoped: () => readAsPartner(deps.db, target.partnerId, (q) => listAuditLogs(q, target.partnerId, target.auditKey, { limit: 51 })),
    service: () => getAuditPage(deps, ownScope(target.partnerId), page),
    validated: async () => auditPageSchema.parse(await getAuditPage(deps, ownScope(target.partnerId), page)),
  };
  for (const step of catalogSteps) {
    app.get(`/bench/steps/list/${step}`, async () => ({ items: await list[step]() }));
    app.get(`/bench/steps/audit/${step}`, async () => ({ items: await audit[step]() }));
  }
}
