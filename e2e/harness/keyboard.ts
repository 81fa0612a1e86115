import type { Page } from 'playwright-core';

/** One place the Tab key stopped, as the page saw it. */
export interface FocusStop {
  /** `tag "accessible-ish name"`, to read in a failure. */
  control: string;
  /** The element matches :focus-visible, so the focus style applies. */
  focusVisible: boolean;
  /** The computed outline (the app's one focus style, base.css) is drawn: a style, a width, a colour. */
  ring: boolean;
  /** The element's centre is not covered by something else (the sticky header, a toast). */
  unobscured: boolean;
  /** No ancestor that clips its overflow cuts into the ring (outline width plus offset). */
  unclipped: boolean;
  /** Outline, box and what is at its centre, to read beside a failure. */
  style?: string;
}

/** What the keyboard walk found: the controls in document order, and where Tab actually went. */
export interface KeyboardWalk {
  expected: string[];
  reached: FocusStop[];
  /**
   * Shift+Tab from the last control back to the first. Scrolling up must not leave the focus under
   * the sticky header. (Its order is not compared: into a radio group with nothing checked,
   * Shift+Tab lands on the last radio, not the first.)
   */
  back: FocusStop[];
}

// The tsconfig for e2e has no DOM lib: the few DOM members the in-page code uses, typed here.
interface InPageElement {
  tagName: string;
  focus(): void;
  getAnimations(): { finished: Promise<unknown> }[];
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  tabIndex: number;
  disabled?: boolean;
  type?: string;
  name?: string;
  checked?: boolean;
  textContent: string | null;
  parentElement: InPageElement | null;
  labels?: ArrayLike<{ textContent: string | null }> | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  closest(selector: string): InPageElement | null;
  matches(selector: string): boolean;
  contains(other: InPageElement | null): boolean;
  checkVisibility(options?: Record<string, boolean>): boolean;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface InPage {
  document: {
    activeElement: InPageElement | null;
    body: InPageElement;
    querySelectorAll(selector: string): ArrayLike<InPageElement>;
    elementFromPoint(x: number, y: number): InPageElement | null;
  };
  getComputedStyle(element: InPageElement): { outlineStyle: string; outlineWidth: string; outlineColor: string; outlineOffset: string; overflowX: string; overflowY: string };
}

/**
 * Marks every control a keyboard user should reach (visible links, buttons, inputs, selects,
 * text areas, elements with a control role, anything else with tabindex ≥ 0; of a radio group
 * only the stop Tab lands on) with
 * `data-kbd-stop` in document order, and returns their names.
 * In-page code is a function (the renderer's CSP forbids eval), with inline arrows only: tsx
 * wraps named functions in a helper the page does not have.
 */
function markControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    const all = Array.from(w.document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex], [role="button"], [role="link"], [role="checkbox"], [role="switch"]'));
    const controls = all.filter((el) => {
      if (el.disabled === true || el.type === 'hidden') return false;
      // tabindex="-1" only excuses an element that is not a control: a script's focus target
      // such as <main> for the skip link. A control taken out of the tab order is a failure.
      if (el.tabIndex < 0 && !el.matches('a[href], button, input, select, textarea, summary, [role="button"], [role="link"], [role="checkbox"], [role="switch"]')) return false;
      if (el.closest('[inert]') || !el.checkVisibility({ visibilityProperty: true })) return false;
      if (el.type !== 'radio' || !el.name) return true;
      // A radio group is one stop: the checked radio, or the first when none is.
      const group = all.filter((r) => r.type === 'radio' && r.name === el.name);
      const checked = group.find((r) => r.checked === true);
      return checked ? checked === el : group[0] === el;
    });
    return controls.map((el, i) => {
      el.dataset.kbdStop = String(i);
      const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
      return `${el.tagName.toLowerCase()} "${name.replace(/\s+/g, ' ').trim().slice(0, 60)}"`;
    });
  });
}

const nowhere: FocusStop = { control: 'nothing (focus left the page)', focusVisible: false, ring: false, unobscured: false, unclipped: false };

async function focused(page: Page): Promise<FocusStop | null> {
  // Reduced motion still transitions every property, for 0.01 ms (base.css): read the style once
  // the focused element's transitions are done, not their starting value. getAnimations() flushes
  // pending style changes first, so a transition the Tab just started is in the list.
  await page.evaluate(async () => {
    const el = (globalThis as unknown as InPage).document.activeElement;
    await Promise.all((el?.getAnimations() ?? []).map((a) => a.finished.catch(() => undefined)));
  });
  return page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    const el = w.document.activeElement;
    if (!el || el === w.document.body) return null;
    const style = w.getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const hit = w.document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    // The ring's outer edge; an ancestor with overflow other than visible must contain it.
    const reach = Math.max(0, parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset));
    let clippedBy = '';
    for (let a = el.parentElement; a && !clippedBy; a = a.parentElement) {
      const as = w.getComputedStyle(a);
      if (as.overflowX === 'visible' && as.overflowY === 'visible') continue;
      const r = a.getBoundingClientRect();
      const inX = as.overflowX === 'visible' || (box.left - reach >= r.left && box.left + box.width + reach <= r.left + r.width);
      const inY = as.overflowY === 'visible' || (box.top - reach >= r.top && box.top + box.height + reach <= r.top + r.height);
      if (!inX || !inY) clippedBy = `${a.tagName.toLowerCase()}.${a.getAttribute('class') ?? ''}`;
    }
    const name = (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return {
      control: `${el.dataset.kbdStop === undefined ? 'UNEXPECTED ' : ''}${el.tagName.toLowerCase()} "${name}"`,
      // A date or time input's focus sits on its inner part (month, hours…): the input itself
      // matches :focus-within then, not :focus-visible.
      focusVisible: el.matches(':focus-visible') || (['date', 'time', 'datetime-local', 'month', 'week'].includes(el.type ?? '') && el.matches(':focus-within')),
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1 && style.outlineColor !== 'rgba(0, 0, 0, 0)' && box.width >= 4 && box.height >= 4,
      unobscured: hit !== null && (el === hit || el.contains(hit)),
      unclipped: clippedBy === '',
      style: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}x${Math.round(box.height)} hit=${hit?.tagName ?? ''}.${hit?.getAttribute('class') ?? ''} clip=${clippedBy}`,
    };
  });
}

/** Whether focus is in a date or time input, which Chromium gives one Tab stop per part (month, day, year, hours…). */
function inSegmentedInput(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as InPage).document.activeElement as { tagName?: string; type?: string } | null;
    return el?.tagName === 'INPUT' && ['date', 'time', 'datetime-local', 'month', 'week'].includes(el.type ?? '');
  });
}

/**
 * Presses `key` and records where focus went; the further parts of a date or time input count as
 * the one control they are (pressed through, at most 8).
 */
async function step(page: Page, key: 'Tab' | 'Shift+Tab', previous: FocusStop | undefined): Promise<FocusStop | null> {
  await page.keyboard.press(key);
  let stop = await focused(page);
  for (let i = 0; i < 8 && stop && previous && stop.control === previous.control && (await inSegmentedInput(page)); i++) {
    await page.keyboard.press(key);
    stop = await focused(page);
  }
  return stop;
}

/**
 * Waits for `ready`, puts the focus start at the top of the document (as for a keyboard user
 * arriving at the screen), then presses Tab once per control and records where focus went.
 * Works on the screen as it is: no reload, so the state the suite built up stays.
 */
export async function walkWithTab(page: Page, ready: () => Promise<void>): Promise<KeyboardWalk> {
  await ready();
  // Start where a keyboard user arriving at the screen starts: the top of the document. Focusing
  // the body moves Chromium's sequential-navigation starting point there (a plain blur() keeps
  // it at the element that had focus).
  await page.evaluate(() => {
    const body = (globalThis as unknown as InPage).document.body;
    body.setAttribute('tabindex', '-1');
    body.focus();
    body.removeAttribute('tabindex');
  });
  const expected = await markControls(page);
  const reached: FocusStop[] = [];
  for (let i = 0; i < expected.length; i++) {
    reached.push((await step(page, 'Tab', reached.at(-1))) ?? nowhere);
  }
  const back: FocusStop[] = [];
  for (let i = expected.length - 2; i >= 0; i--) {
    back.push((await step(page, 'Shift+Tab', back.at(-1) ?? reached.at(-1))) ?? nowhere);
  }
  return { expected, reached, back };
}
