import type { Health, IntegrationStatus } from '../../shared/integrations/catalog.js';
import type { Queryable } from './pool.js';

export interface FleetRow {
  partnerId: number;
  partnerName: string;
  integrationKey: string | null;
  status: IntegrationStatus | null;
  health: Health | null;
  lastHealthCheck: Date | null;
  consecutiveFailures: number | null;
  errorMessage: string | null;
}

/**
 * A page of partners (by id, after `afterPartnerId`) with every configuration's state, for the
 * dev partner's fleet matrix. Only meaningful in the dev partner's scope: row-level security
 * shows other partners' configurations to it alone. `status` keeps partners with at least one
 * configuration in that status.
 */
export async function listFleet(db: Queryable, page: { afterPartnerId: number; limit: number; status?: IntegrationStatus }): Promise<FleetRow[]> {
  const { rows } = await db.query<FleetRow>(
    `WITH page AS (
       SELECT p.id, p.name FROM partners p
        WHERE p.id > $1 AND ($3::text IS NULL OR EXISTS (
          SELECT 1 FROM integration_configurations f WHERE f.partner_id = p.id AND f.status = $3))
        ORDER BY p.id LIMIT $2)
     SELECT page.id AS "partnerId", page.name AS "partnerName", c.integration_key AS "integrationKey", c.status, c.health,
            c.last_health_check AS "lastHealthCheck", c.consecutive_failures AS "consecutiveFailures", c.error_message AS "errorMessage"
       FROM page LEFT JOIN integration_configurations c ON c.partner_id = page.id
      ORDER BY page.id, c.integration_key`,
    [page.afterPartnerId, page.limit, page.status ?? null],
  );
  return rows;
}
