import { AppError } from '../../../shared/errors.js';
import type { LocalServices } from '../api/contract.js';
import type { MaintenanceServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';
import type { CoreEvents } from './events.js';

/** The local API's maintenance calls, as api/contract.ts declares them. */
export type MaintenanceService = LocalServices['maintenance'];

/** What the card says offline: windows live on the server and are not cached. */
export const maintenanceNeedsServer = 'Maintenance windows are kept on the server; they need a connection';

/**
 * Maintenance windows (issue 18 §4). Online only: a window silences alerts on the server, so
 * scheduling one offline and sending it later would silence the wrong hours. Any user of the own
 * partner reads them (the banner); partner admins schedule and end them. A change is audited on
 * the server, so the catalog topic is raised for the audit list to pull it.
 */
export function createMaintenance(options: { session: DesktopSession; server: MaintenanceServer; events: CoreEvents }): MaintenanceService {
  const { session, server, events } = options;
  const online = () => {
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', maintenanceNeedsServer);
  };
  const afterChange = async () => {
    const cache = session.requireWritable();
    await cache.engine.requestSync().catch(() => undefined);
    events.emit('catalog');
  };
  return {
    list: async (key) => {
      session.requireOwnPartner();
      online();
      return server.list(key);
    },
    create: async (input) => {
      session.requireWritable();
      online();
      const created = await server.create(input);
      await afterChange();
      return created;
    },
    end: async (id) => {
      session.requireWritable();
      online();
      const ended = await server.end(id);
      await afterChange();
      return ended;
    },
  };
}
