import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, test } from 'vitest';
import { ConfirmDialog } from './Dialog.js';
import { ToastProvider, useToast } from './Toast.js';

function Harness() {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" onClick={() => toast({ tone: 'error', title: `Failed ${Date.now()}`, body: 'Something broke' })}>
        Fail
      </button>
      <button type="button" onClick={() => setConfirming(true)}>
        Ask
      </button>
      <ConfirmDialog open={confirming} title="Sure?" confirmLabel="Yes" onConfirm={() => setConfirming(false)} onCancel={() => setConfirming(false)}>
        Really?
      </ConfirmDialog>
    </>
  );
}

describe('toasts', () => {
  test('Escape dismisses the newest toast from anywhere, one at a time', async () => {
    const user = userEvent.setup();
    render(
      <ToastProvider>
        <Harness />
      </ToastProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Fail' }));
    await user.click(screen.getByRole('button', { name: 'Fail' }));
    const closes = () => screen.queryAllByRole('button', { name: /^Dismiss: / });
    expect(closes()).toHaveLength(2);
    expect(closes()[1]?.getAttribute('aria-keyshortcuts')).toBe('Escape');
    expect(closes()[0]?.getAttribute('aria-keyshortcuts')).toBeNull();
    await user.keyboard('{Escape}');
    expect(closes()).toHaveLength(1);
    expect(closes()[0]?.getAttribute('aria-keyshortcuts')).toBe('Escape');
    await user.keyboard('{Escape}');
    expect(closes()).toHaveLength(0);
  });

  test('a modal dialog keeps Escape for itself', async () => {
    const user = userEvent.setup();
    render(
      <ToastProvider>
        <Harness />
      </ToastProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Fail' }));
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryAllByRole('button', { name: /^Dismiss: / })).toHaveLength(1);
  });
});
