import {
  createMaintenanceInputSchema,
  endMaintenanceOutputSchema,
  maintenanceIdInputSchema,
  maintenanceListInputSchema,
  maintenanceListSchema,
  maintenanceWindowSchema,
} from '../../shared/integrations/maintenance.js';
import { actorFor } from '../services/integrations/actor.js';
import { createMaintenance, endMaintenance, listMaintenance } from '../services/maintenance/windows.js';
import { authedProcedure, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// Maintenance windows of the caller's partner (issue 18 §4): the partner always comes from the
// verified token. Everyone of the partner reads them (the banner); scheduling and ending one
// silences or releases alerts, so partner admins only.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);

export const maintenanceRouter = router({
  /** Current and upcoming windows, soonest first; `key` keeps those covering one integration. */
  list: reader
    .input(maintenanceListInputSchema)
    .output(maintenanceListSchema)
    .meta({ openapi: { method: 'GET', path: '/api/maintenance-windows', summary: "This partner's current and upcoming maintenance windows (key: those covering one integration)", tag: 'health' } })
    .query(({ ctx, input }) => listMaintenance(ctx.deps, ctx.principal.partnerId, input?.key)),

  /** Schedules a window (no integrationKey: partner-wide); overlapping ones are refused with a 400 naming the other. */
  create: admin
    .input(createMaintenanceInputSchema)
    .output(maintenanceWindowSchema)
    .meta({ openapi: { method: 'POST', path: '/api/maintenance-windows', summary: 'Schedule a maintenance window (partner admin): alerts and webhooks are held until it ends', tag: 'health', successStatus: 201 } })
    .mutation(({ ctx, input }) => createMaintenance(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  /** Ends a running window now (held state released at once) or cancels an upcoming one. */
  end: admin
    .input(maintenanceIdInputSchema)
    .output(endMaintenanceOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/maintenance-windows/:id/end', summary: 'End a maintenance window now, or cancel one not started (partner admin)', tag: 'health' } })
    .mutation(({ ctx, input }) => endMaintenance(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input.id)),
});
