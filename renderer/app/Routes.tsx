import { EmptyState } from '../components/EmptyState.js';
import { AlertsScreen } from '../features/alerts/AlertsScreen.js';
import { PendingChangesScreen } from '../features/changes/PendingChangesScreen.js';
import { IntegrationCenter } from '../features/catalog/IntegrationCenter.js';
import { FleetScreen } from '../features/fleet/FleetScreen.js';
import { IntegrationDetailScreen } from '../features/integration-detail/IntegrationDetailScreen.js';
import { ClientsScreen } from '../features/clients/ClientsScreen.js';
import { ClientTicketsScreen } from '../features/ticket-update/ClientTicketsScreen.js';
import { TicketUpdateScreen } from '../features/ticket-update/TicketUpdateScreen.js';
import { MappingsScreen } from '../features/mappings/MappingsScreen.js';
import { ActivityScreen } from '../features/activity/ActivityScreen.js';
import { ActionsScreen } from '../features/actions/ActionsScreen.js';
import { AutomationsScreen } from '../features/automations/AutomationsScreen.js';
import { AutomationScreen } from '../features/automations/AutomationScreen.js';
import { RunScreen } from '../features/automations/RunScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import { hrefFor, type Route } from './router.js';

export function Routes({ route }: { route: Route }) {
  switch (route.name) {
    case 'catalog':
      return <IntegrationCenter />;
    case 'integration':
      // Keyed so each integration starts with fresh form state.
      return <IntegrationDetailScreen key={route.key} integrationKey={route.key} />;
    case 'mappings':
      return <MappingsScreen key={route.key} integrationKey={route.key} />;
    case 'activity':
      return <ActivityScreen key={route.key} integrationKey={route.key} />;
    case 'actions':
      return <ActionsScreen key={route.key} integrationKey={route.key} />;
    case 'clients':
      return <ClientsScreen />;
    case 'client':
      return <ClientTicketsScreen key={route.id} clientId={route.id} />;
    case 'ticketUpdate':
      return <TicketUpdateScreen key={route.clientId} clientId={route.clientId} />;
    case 'changes':
      return <PendingChangesScreen />;
    case 'fleet':
      return <FleetScreen />;
    case 'alerts':
      return <AlertsScreen />;
    case 'automations':
      return <AutomationsScreen />;
    case 'automation':
      // Keyed so each automation (and a new one) starts with fresh form state.
      return <AutomationScreen key={route.id} id={route.id === 'new' ? null : route.id} />;
    case 'automationRun':
      return <RunScreen key={route.runId} runId={route.runId} />;
    case 'settings':
      return <SettingsScreen />;
    case 'notFound':
      return (
        <EmptyState title="Page not found" action={<a href={hrefFor({ name: 'catalog' })}>Go to Integrations</a>}>
          Nothing lives at “{route.path}”.
        </EmptyState>
      );
  }
}
