import { createCallerFactory, router } from '../trpc/init.js';
import { accessTokensRouter } from './accessTokens.js';
import { actionsRouter } from './actions.js';
import { authRouter } from './auth.js';
import { automationsRouter } from './automations.js';
import { clientsRouter } from './clients.js';
import { devRouter } from './dev.js';
import { discoveryRouter } from './discovery.js';
import { healthRouter } from './health.js';
import { integrationsRouter } from './integrations.js';
import { inboundWebhooksRouter } from './inboundWebhooks.js';
import { interactionsRouter } from './interactions.js';
import { maintenanceRouter } from './maintenance.js';
import { mappingsRouter } from './mappings.js';
import { mspbackupsRouter } from './mspbackups.js';
import { oauthRouter } from './oauth.js';
import { syncRouter } from './sync.js';
import { ticketLinksRouter } from './ticketLinks.js';

/** Every resource router, one line each. */
export const appRouter = router({
  auth: authRouter,
  integrations: integrationsRouter,
  dev: devRouter,
  mspbackups: mspbackupsRouter,
  health: healthRouter,
  sync: syncRouter,
  clients: clientsRouter,
  mappings: mappingsRouter,
  discovery: discoveryRouter,
  actions: actionsRouter,
  ticketLinks: ticketLinksRouter,
  interactions: interactionsRouter,
  oauth: oauthRouter,
  maintenance: maintenanceRouter,
  inboundWebhooks: inboundWebhooksRouter,
  automations: automationsRouter,
  accessTokens: accessTokensRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
