import { ErrorCode, McpError, type ReadResourceResult, type Resource, type ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { listInteractions } from '../db/interactionLog.js';
import { listMappingsByClients } from '../db/mappings.js';
import { readAsPartner } from '../db/partnerRead.js';
import type { AppDeps } from '../deps.js';
import { getClients } from '../services/clients/clients.js';
import { listIntegrations, ownScope } from '../services/integrations/catalog.js';
import type { Principal } from '../services/principal.js';

/**
 * Read-only resources an assistant reads before it acts (issue 25): the partner's clients with
 * their mappings, its integrations with status and health, and the recent interaction log.
 * Each read answers one page as JSON with `nextCursor` and the `next` URI to read for the page
 * after (`ic://clients?cursor=50`). Always the token's own partner: the partner comes from the token.
 */
const pageSize = 50;

export const resourceList: Resource[] = [
  { uri: 'ic://clients', name: 'clients', title: 'Clients and their mappings', description: "This partner's clients, each with the organizations it is mapped to at every integration (50 a page; follow `next`)", mimeType: 'application/json' },
  { uri: 'ic://integrations', name: 'integrations', title: 'Integrations with status and health', description: 'Every integration of the catalog with this partner\'s status (Active, Error, Not Configured), health and last check', mimeType: 'application/json' },
  { uri: 'ic://interactions', name: 'interactions', title: 'Recent vendor calls (interaction log)', description: 'The newest calls the server made to vendors for this partner, newest first (50 a page; follow `next`; ?integration=syncro for one)', mimeType: 'application/json' },
];

export const resourceTemplates: ResourceTemplate[] = [
  { uriTemplate: 'ic://clients{?cursor}', name: 'clients-page', title: 'A page of clients', mimeType: 'application/json' },
  { uriTemplate: 'ic://interactions{?integration,cursor}', name: 'interactions-page', title: 'A page of the interaction log', mimeType: 'application/json' },
];

const json = (uri: string, body: unknown): ReadResourceResult => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(body) }] });
const notFound = (uri: string) => new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri.slice(0, 200)}`);

function nextUri(base: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return query ? `${base}?${query}` : base;
}

export async function readResource(deps: AppDeps, principal: Principal, uri: string): Promise<ReadResourceResult> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw notFound(uri);
  }
  if (url.protocol !== 'ic:') throw notFound(uri);
  const partnerId = principal.partnerId;
  const cursor = url.searchParams.get('cursor') ?? undefined;
  switch (url.hostname) {
    case 'clients': {
      const offset = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isSafeInteger(offset) || offset < 0) throw new McpError(ErrorCode.InvalidParams, 'cursor: not a cursor this list gave');
      const all = await getClients(deps.db, ownScope(partnerId));
      const page = all.slice(offset, offset + pageSize);
      const mappings = page.length === 0 ? [] : await readAsPartner(deps.db, partnerId, (q) => listMappingsByClients(q, partnerId, page.map((c) => c.id)));
      const items = page.map((client) => ({
        id: client.id,
        name: client.name,
        mappings: mappings.filter((m) => m.clientId === client.id).map((m) => ({ integrationKey: m.integrationKey, externalOrgId: m.externalOrgId, externalOrgName: m.externalOrgName, missingAtVendor: m.missingAtVendor })),
      }));
      const more = offset + pageSize < all.length;
      return json(uri, { items, nextCursor: more ? String(offset + pageSize) : null, next: more ? nextUri('ic://clients', { cursor: String(offset + pageSize) }) : null });
    }
    case 'integrations': {
      const { items } = await listIntegrations(deps, ownScope(partnerId));
      return json(uri, {
        items: items.map((i) => ({ key: i.key, name: i.name, category: i.category, status: i.state.status, health: i.state.health, errorMessage: i.state.errorMessage, lastHealthCheck: i.state.lastHealthCheck })),
        nextCursor: null,
        next: null,
      });
    }
    case 'interactions': {
      const integration = url.searchParams.get('integration') ?? undefined;
      if (integration !== undefined && !deps.registry.get(integration)) throw new McpError(ErrorCode.InvalidParams, `integration: there is no integration "${integration.slice(0, 64)}"`);
      if (cursor !== undefined && !/^[0-9]{1,15}\.[0-9]{1,15}$/.test(cursor)) throw new McpError(ErrorCode.InvalidParams, 'cursor: not a cursor this list gave');
      const page = await readAsPartner(deps.db, partnerId, (q) => listInteractions(q, partnerId, integration ?? null, { limit: pageSize, ...(cursor ? { cursor } : {}) }));
      return json(uri, { items: page.items, nextCursor: page.nextCursor, next: page.nextCursor ? nextUri('ic://interactions', { integration, cursor: page.nextCursor }) : null });
    }
    default:
      throw notFound(uri);
  }
}
