import path from 'node:path';
import { ensureDesktopBuild } from '../../scripts/desktopBuild.js';

/** The built renderer, rebuilt first when missing or older than its sources. */
export async function builtRenderer(): Promise<string> {
  await ensureDesktopBuild({ needMain: false });
  return path.resolve(import.meta.dirname, '../../out/renderer');
}

export interface PageTimings {
  /** Navigation start → the signed-in shell is on screen (session read from the core). */
  rendererReadyMs: number;
  /** Navigation start → every catalog card is on screen, from the core's cache. */
  catalogInPageMs: number;
  cards: number;
}

/** What the page shows when each moment is reached. */
export interface PageMarks {
  /** Text the signed-in shell shows, e.g. the role line of the user badge. */
  shell: string;
  /** Text shown once the whole catalog is rendered, e.g. "Showing 10 of 10 integrations". */
  catalog: string;
}

/** The little of the page's globals the marks need. */
interface InPage {
  __marks: Record<string, number>;
  document: { body: { innerText: string } | null };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
}

/**
 * Opens the browser-mode URL in headless Chromium (@sparticuz/chromium, driven by
 * playwright-core) `runs` times and reports the median of each timing. The moments are taken in
 * the page by a MutationObserver installed before any of the app's scripts run, with
 * performance.now() (0 = navigation start), so Playwright's polling adds nothing to them.
 */
export async function measureCachedCatalog(url: string, marks: PageMarks, runs: number): Promise<PageTimings> {
  const sparticuz = (await import('@sparticuz/chromium')).default;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args, headless: true });
  try {
    const samples: PageTimings[] = [];
    // One page, navigated again for each run: this Chromium runs as a single process, where
    // closing a context can take the browser down with it.
    const page = await (await browser.newContext()).newPage();
    // Functions, not strings: the renderer's CSP forbids eval, and Playwright hands functions
    // to the page without it.
    await page.addInitScript((m: PageMarks) => {
      // This runs in the page; the node-only type setting of this file has no DOM types.
      const page = globalThis as unknown as InPage;
      const seen: Record<string, number> = {};
      page.__marks = seen;
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      new page.MutationObserver(() => {
        const text = page.document.body?.innerText ?? '';
        for (const [name, needle] of Object.entries(m)) if (!(name in seen) && text.includes(needle)) seen[name] = performance.now();
      }).observe(page.document, { childList: true, subtree: true, characterData: true });
    }, marks);
    for (let i = 0; i < runs + 1; i++) {
      await page.goto('about:blank');
      await page.goto(url);
      await page.getByText(marks.catalog).waitFor({ timeout: 10_000 });
      await page.getByText(marks.shell).first().waitFor({ timeout: 10_000 });
      const seen = await page.evaluate(() => (globalThis as unknown as InPage).__marks);
      const cards = await page.locator('.integration-card').count();
      // The first run warms Chromium itself (process start, disk cache); it is not counted.
      if (i > 0) samples.push({ rendererReadyMs: seen.shell ?? NaN, catalogInPageMs: seen.catalog ?? NaN, cards });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    return {
      rendererReadyMs: Math.round(median(samples.map((s) => s.rendererReadyMs))),
      catalogInPageMs: Math.round(median(samples.map((s) => s.catalogInPageMs))),
      cards: samples[0]?.cards ?? 0,
    };
  } finally {
    await browser.close();
  }
}
