import { QueryCache, QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { AppError } from '../../../shared/errors.js';
import type { DataSource } from './DataSource.js';
import type { DataTopic } from '../../../shared/localApi.js';

const DataSourceContext = createContext<DataSource | null>(null);

/** The DataSource the screens use; throws outside a provider so a missing one fails loudly. */
export function useDataSource(): DataSource {
  const source = useContext(DataSourceContext);
  if (!source) throw new Error('useDataSource needs a <DataSourceProvider>');
  return source;
}

/** Which cached queries a change makes stale. */
const staleByTopic: Record<DataTopic, string[]> = {
  session: ['session'],
  // A new server version of an integration is also a new entry in its version history.
  catalog: ['integrations', 'integration', 'health', 'checks', 'audit', 'fleet', 'versions', 'maintenance'],
  drafts: ['drafts'],
  // Reconnecting is when cached clients and mappings may be behind: read them again (the core refetches when stale).
  sync: ['sync', 'clients', 'mappings'],
  fleet: ['fleet'],
  mappings: ['clients', 'mappings'],
  connection: ['connection'],
  // Automation edits kept offline, sent, or the server's copy read again.
  automations: ['automations'],
};

function InvalidateOnChange({ source }: { source: DataSource }) {
  const client = useQueryClient();
  useEffect(
    () =>
      source.subscribe((topic) => {
        for (const key of staleByTopic[topic]) void client.invalidateQueries({ queryKey: [key] });
      }),
    [source, client],
  );
  return null;
}

/**
 * A query client for the local source: always "online" (reads hit the local cache), no retry
 * storms, and a read refused for an ended session sends the app back to sign-in.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof AppError && error.code === 'UNAUTHORIZED' && query.queryKey[0] !== 'session') {
          void client.invalidateQueries({ queryKey: ['session'] });
        }
      },
    }),
    defaultOptions: {
      queries: { networkMode: 'always', retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { networkMode: 'always', retry: false },
    },
  });
  return client;
}

/** Provides the DataSource and a query cache that refreshes when the source says something changed. */
export function DataSourceProvider({ source, children }: { source: DataSource; children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <DataSourceContext.Provider value={source}>
        <InvalidateOnChange source={source} />
        {children}
      </DataSourceContext.Provider>
    </QueryClientProvider>
  );
}
