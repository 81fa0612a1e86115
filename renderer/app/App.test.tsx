import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { IntegrationSummary } from '../../shared/integrations/catalog.js';
import { App } from './App.js';
import type { ReadScope } from './data/DataSource.js';
import { MemoryDataSource } from './data/memory/MemoryDataSource.js';

/** A source whose catalog read fails the first time, as a corrupt or locked cache might. */
class FlakyCatalog extends MemoryDataSource {
  failures = 1;
  override async listIntegrations(scope?: ReadScope): Promise<IntegrationSummary[]> {
    if (this.failures-- > 0) throw new AppError('INTERNAL', 'The local cache could not be read.');
    return super.listIntegrations(scope);
  }
}

/** A source whose session ends on the server between two reads. */
class EndingSession extends MemoryDataSource {
  ended = false;
  override async getIntegration(key: string, scope?: ReadScope) {
    if (this.ended) {
      // Ended in the core without telling the UI: only the refused read can reveal it.
      this.session = null;
      throw new AppError('UNAUTHORIZED', 'Your session has ended. Sign in again.');
    }
    return super.getIntegration(key, scope);
  }
}

test('a failed read says what happened and offers to try again', async () => {
  window.location.hash = '#/';
  render(<App source={new FlakyCatalog({ signedInAs: 'admin@acme.test' })} />);
  expect((await screen.findByRole('alert')).textContent).toContain('The local cache could not be read.');
  await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByText('Showing 7 of 7 integrations')).toBeTruthy();
});

test('a read refused for an ended session returns to sign-in', async () => {
  window.location.hash = '#/';
  const source = new EndingSession({ signedInAs: 'admin@acme.test' });
  render(<App source={source} />);
  await screen.findByText('Showing 7 of 7 integrations');
  source.ended = true;
  window.location.hash = '#/integrations/syncro';
  expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
});

test('an unknown route says so and links home', async () => {
  window.location.hash = '#/somewhere';
  render(<App source={new MemoryDataSource({ signedInAs: 'admin@acme.test' })} />);
  expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
  expect(screen.getByRole('link', { name: 'Go to Integrations' }).getAttribute('href')).toBe('#/');
});
