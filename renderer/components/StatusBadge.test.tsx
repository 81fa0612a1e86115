import { render, screen } from '@testing-library/react';
import { expect, test } from 'vitest';
import { statuses } from '../../shared/integrations/catalog.js';
import { getStatusBadgeClass, StatusBadge } from './StatusBadge.js';

test('getStatusBadgeClass gives every status its own tone', () => {
  expect(getStatusBadgeClass('Active')).toBe('badge badge-ok');
  expect(getStatusBadgeClass('Error')).toBe('badge badge-danger');
  expect(getStatusBadgeClass('Configured')).toBe('badge badge-info');
  expect(getStatusBadgeClass('Not Configured')).toBe('badge badge-neutral');
  expect(new Set(statuses.map(getStatusBadgeClass)).size).toBe(statuses.length);
});

test('StatusBadge shows the status as text (not colour alone) with its class', () => {
  render(<StatusBadge status="Error" />);
  const badge = screen.getByText('Error');
  expect(badge.className).toBe(getStatusBadgeClass('Error'));
});

test('StatusBadge shows Degraded beside Active, where the status alone would hide it, and nothing redundant', () => {
  const { container } = render(<StatusBadge status="Active" health="degraded" />);
  expect(container.textContent).toBe('Active Degraded');
  expect(container.querySelector('.badge-warn')?.textContent).toBe('Degraded');
  const plain = render(<StatusBadge status="Active" health="ok" />);
  expect(plain.container.textContent).toBe('Active');
  const failing = render(<StatusBadge status="Error" health="error" />);
  expect(failing.container.textContent).toBe('Error');
});
