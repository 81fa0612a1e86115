import { describe, expect, test } from 'vitest';
import { maxToasts, pushToast, type ToastItem, type ToastTone } from './toastStack.js';

let id = 0;
const toast = (tone: ToastTone, title: string, body?: string): ToastItem => ({ id: ++id, tone, title, ...(body ? { body } : {}) });
const titles = (list: ToastItem[]) => list.map((t) => t.title);

describe('the toast stack', () => {
  test('never holds more than three; the oldest fading toast makes room first', () => {
    let list: ToastItem[] = [];
    for (const t of [toast('error', 'E1'), toast('success', 'S1'), toast('info', 'I1'), toast('success', 'S2')]) list = pushToast(list, t);
    expect(maxToasts).toBe(3);
    expect(titles(list)).toEqual(['E1', 'I1', 'S2']);
  });

  test('errors are not pushed out by confirmations; when errors fill it, the new confirmation gives way', () => {
    let list: ToastItem[] = [];
    for (const t of [toast('error', 'E1'), toast('error', 'E2'), toast('error', 'E3')]) list = pushToast(list, t);
    expect(titles(pushToast(list, toast('success', 'S1')))).toEqual(['E1', 'E2', 'E3']);
    // A fourth error: the oldest error goes.
    expect(titles(pushToast(list, toast('error', 'E4')))).toEqual(['E2', 'E3', 'E4']);
  });

  test('the same message again replaces the earlier one and moves to the end', () => {
    let list = [toast('success', 'Up to date'), toast('error', 'Sync failed', 'offline')];
    const again = toast('success', 'Up to date');
    list = pushToast(list, again);
    expect(list.map((t) => t.id)).toEqual([list[0]?.id, again.id]);
    expect(titles(list)).toEqual(['Sync failed', 'Up to date']);
    // Same title, other body or tone: a different message.
    expect(pushToast(list, toast('error', 'Sync failed', 'refused'))).toHaveLength(3);
  });
});
