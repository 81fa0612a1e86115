import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app/App.js';
import { MemoryDataSource, type MemoryOptions } from '../app/data/memory/MemoryDataSource.js';

export const emails = { admin: 'admin@acme.test', tech: 'tech@acme.test', dev: 'ops@acg.test' } as const;

/**
 * Renders the whole app over a fresh in-memory source at a hash route, as a user would see it.
 * Returns the source so a test can change the world (go offline) and check what the "server" holds.
 */
export function renderApp(options: MemoryOptions & { hash?: string } = {}) {
  window.location.hash = options.hash ?? '#/';
  const source = new MemoryDataSource({ signedInAs: emails.admin, ...options });
  const user = userEvent.setup();
  const utils = render(<App source={source} />);
  return { ...utils, source, user, screen };
}
