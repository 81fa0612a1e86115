import { useLayoutEffect, useRef, useState } from 'react';

/**
 * Whether any of the line-clamped elements registered with `ref` hides part of its text, kept
 * current as the card resizes (window, sidebar, font size). Returns a ref callback per slot.
 */
export function useOverflow(slots: number): { clipped: boolean; refs: ((el: HTMLElement | null) => void)[] } {
  const elements = useRef<(HTMLElement | null)[]>(Array.from({ length: slots }, () => null));
  const [clipped, setClipped] = useState(false);
  const [refs] = useState(() => Array.from({ length: slots }, (_, i) => (el: HTMLElement | null) => void (elements.current[i] = el)));
  useLayoutEffect(() => {
    const measure = () => setClipped(elements.current.some((el) => el !== null && el.scrollHeight > el.clientHeight + 1));
    measure();
    const observer = new ResizeObserver(measure);
    for (const el of elements.current) if (el) observer.observe(el);
    return () => observer.disconnect();
  });
  return { clipped, refs };
}
