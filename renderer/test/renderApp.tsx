import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app/App.js';
import type { DataSource } from '../app/data/DataSource.js';

/**
 * Renders the whole app over `source` (normally the LocalDataSource of a real desktop core, see
 * desktopWorld.ts) at a hash route, as a user would see it.
 */
export function renderApp(source: DataSource, hash = '#/') {
  window.location.hash = hash;
  const user = userEvent.setup();
  const utils = render(<App source={source} />);
  return { ...utils, source, user, screen };
}
