import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../shared/ipc';
import { UpdatePrompt } from './UpdatePrompt';
import type { UpdateBridge } from './useUpdateStatus';

/** The shell's side of the bridge as the main process behaves: a status, pushes, and installs only when asked. */
function shell(initial: UpdateStatus) {
  let status = initial;
  const listeners = new Set<(s: UpdateStatus) => void>();
  const installs: string[] = [];
  const bridge: UpdateBridge = {
    updateStatus: async () => status,
    onUpdateStatus: (callback) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    restartToUpdate: async () => {
      if (status.state !== 'ready' || !status.version) return false;
      installs.push(status.version);
      return true;
    },
  };
  return {
    bridge,
    installs,
    listeners,
    push(next: UpdateStatus) {
      status = next;
      act(() => listeners.forEach((l) => l(next)));
    },
  };
}

const idle: UpdateStatus = { state: 'idle', version: null, percent: null, lastCheckedAt: null };
const ready = (version: string): UpdateStatus => ({ state: 'ready', version, percent: 100, lastCheckedAt: '2026-11-22T10:00:00.000Z' });

afterEach(cleanup);

describe('update prompt', () => {
  it('says nothing until an update is downloaded, then asks, and installs only on the click', async () => {
    const s = shell(idle);
    render(<UpdatePrompt bridge={s.bridge} />);
    s.push({ state: 'downloading', version: '0.2.0', percent: 40, lastCheckedAt: null });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    s.push(ready('0.2.0'));
    expect(await screen.findByRole('alertdialog')).toBeTruthy();
    expect(screen.getByText(/0\.2\.0 is ready/)).toBeTruthy();
    expect(s.installs).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Restart now' }));
    expect(s.installs).toEqual(['0.2.0']);
    expect(screen.getByRole('button', { name: 'Restarting…' })).toHaveProperty('disabled', true);
  });

  it('shows an update that was ready before the window opened', async () => {
    const s = shell(ready('0.3.0'));
    render(<UpdatePrompt bridge={s.bridge} />);
    expect(await screen.findByText(/0\.3\.0 is ready/)).toBeTruthy();
  });

  it('"Later" hides it for that version without installing, and a newer one asks again', async () => {
    const s = shell(ready('0.2.0'));
    render(<UpdatePrompt bridge={s.bridge} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(s.installs).toEqual([]);
    s.push(ready('0.2.1'));
    expect(await screen.findByText(/0\.2\.1 is ready/)).toBeTruthy();
  });

  it('renders nothing in browser mode, where there is no shell', () => {
    const { container } = render(<UpdatePrompt bridge={undefined} />);
    expect(container.innerHTML).toBe('');
  });

  it('stops listening when it goes away', async () => {
    const s = shell(idle);
    const view = render(<UpdatePrompt bridge={s.bridge} />);
    expect(s.listeners.size).toBe(1);
    view.unmount();
    expect(s.listeners.size).toBe(0);
  });
});
