import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect, useState } from 'react';
import { describe, expect, test } from 'vitest';
import { ConfirmDialog } from './Dialog.js';
import { ToastOutlet, ToastProvider, ToastScope, useClearToasts, useToast, type ToastInput } from './Toast.js';

let counter = 0;

function Harness({ tone = 'error' }: { tone?: ToastInput['tone'] }) {
  const toast = useToast();
  const clear = useClearToasts();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" onClick={() => toast({ tone, title: `Message ${++counter}`, body: 'Something happened' })}>
        Notify
      </button>
      <button type="button" onClick={() => setConfirming(true)}>
        Ask
      </button>
      <button type="button" onClick={clear}>
        Clear
      </button>
      <ConfirmDialog open={confirming} title="Sure?" confirmLabel="Yes" onConfirm={() => setConfirming(false)} onCancel={() => setConfirming(false)}>
        Really?
      </ConfirmDialog>
    </>
  );
}

function renderToasts(tone?: ToastInput['tone'], durationMs?: number) {
  const user = userEvent.setup();
  render(
    <ToastProvider durationMs={durationMs}>
      <ToastOutlet />
      <Harness tone={tone} />
    </ToastProvider>,
  );
  return { user, notify: () => user.click(screen.getByRole('button', { name: 'Notify' })) };
}

const closes = () => screen.queryAllByRole('button', { name: /^Dismiss: / });

describe('toasts', () => {
  test('Escape dismisses the newest toast from anywhere, one at a time', async () => {
    const { user, notify } = renderToasts();
    await notify();
    await notify();
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
    const { user, notify } = renderToasts();
    await notify();
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(closes()).toHaveLength(1);
  });

  test('shows three at most, and all of them go at once when cleared', async () => {
    const { user, notify } = renderToasts();
    for (let i = 0; i < 5; i++) await notify();
    expect(closes().map((c) => c.getAttribute('aria-label'))).toEqual([`Dismiss: Message ${counter - 2}`, `Dismiss: Message ${counter - 1}`, `Dismiss: Message ${counter}`]);
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(closes()).toHaveLength(0);
  });

  test('success toasts expire; errors stay', async () => {
    const { notify } = renderToasts('success', 150);
    await notify();
    expect(closes()).toHaveLength(1);
    await waitFor(() => expect(closes()).toHaveLength(0), { timeout: 2_000 });
  });

  test('nothing expires while the keyboard is in the stack, so a focused close button stays', async () => {
    const { user, notify } = renderToasts('success', 150);
    await notify();
    act(() => closes()[0]?.focus());
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(closes()).toHaveLength(1);
    // Leaving the stack starts its time again.
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(closes()).toHaveLength(0), { timeout: 2_000 });
  });

  test('a toast scope that is gone (the user signed out) shows nothing more', async () => {
    const kept: { show: ((t: ToastInput) => void) | null } = { show: null };
    function Catcher() {
      const show = useToast();
      useEffect(() => {
        kept.show = show;
      }, [show]);
      return null;
    }
    function Switch() {
      const [signedIn, setSignedIn] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setSignedIn(false)}>
            Sign out
          </button>
          {signedIn && (
            <ToastScope>
              <Catcher />
            </ToastScope>
          )}
        </>
      );
    }
    const user = userEvent.setup();
    render(
      <ToastProvider>
        <ToastOutlet />
        <Switch />
      </ToastProvider>,
    );
    act(() => kept.show?.({ tone: 'error', title: 'Before' }));
    expect(closes()).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    // An answer that arrives after sign-out, from a callback the gone screen left behind.
    act(() => kept.show?.({ tone: 'error', title: 'After' }));
    expect(closes().map((c) => c.getAttribute('aria-label'))).toEqual(['Dismiss: Before']);
  });
});
