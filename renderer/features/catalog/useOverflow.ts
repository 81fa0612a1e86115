import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Whether any line-clamped element (`data-clamp`) inside the returned ref's element hides part of
 * its text, kept current as the card resizes (window, font size) and as its texts change.
 */
export function useOverflow<T extends HTMLElement>(): { clipped: boolean; ref: RefObject<T | null> } {
  const ref = useRef<T | null>(null);
  const [clipped, setClipped] = useState(false);
  useLayoutEffect(() => {
    const clamped = [...(ref.current?.querySelectorAll<HTMLElement>('[data-clamp]') ?? [])];
    const measure = () => setClipped(clamped.some((el) => el.scrollHeight > el.clientHeight + 1));
    measure();
    // jsdom (component tests) has no ResizeObserver and no layout: the one measure says "fits".
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    for (const el of clamped) observer.observe(el);
    return () => observer.disconnect();
  });
  return { clipped, ref };
}
