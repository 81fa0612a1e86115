import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchTokenHeader } from '../../shared/localApi.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The built renderer (electron-vite build), built first if missing. */
export async function builtRenderer(): Promise<string> {
  const dir = path.join(root, 'out/renderer');
  if (!existsSync(path.join(dir, 'index.html'))) {
    const { build } = await import('electron-vite');
    await build({ root, configFile: path.join(root, 'electron.vite.config.ts'), logLevel: 'warn' });
  }
  return dir;
}

export interface PageTimings {
  /** Navigation start → the renderer shows the signed-in user (session read from the core). */
  rendererReadyMs: number;
  /** Navigation start → the catalog (every card's data) is in the page, from the core's cache. */
  catalogInPageMs: number;
  cards: number;
}

/**
 * Opens the browser-mode URL in headless Chromium (@sparticuz/chromium, driven by
 * playwright-core) `runs` times and reports the median of each timing, measured in the page
 * with performance.now() (0 = navigation start).
 *
 * The renderer in the tree is still the placeholder (it shows who is signed in, no cards), so
 * "cards visible" is approximated by: the placeholder has rendered from the local API, and the
 * catalog list the cards would show has arrived in the page over the same local API.
 */
export async function measureCachedCatalog(url: string, expectText: string, runs: number): Promise<PageTimings> {
  const sparticuz = (await import('@sparticuz/chromium')).default;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args, headless: true });
  try {
    const samples: PageTimings[] = [];
    // One page, navigated again for each run: this Chromium runs as a single process, where
    // closing a context can take the browser down with it.
    const page = await (await browser.newContext()).newPage();
    for (let i = 0; i < runs + 1; i++) {
      await page.goto('about:blank');
      await page.goto(url);
      // In-page code as strings: it runs in Chromium, not in this (DOM-less) Node program.
      await page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(expectText)})`, undefined, { timeout: 10_000 });
      const rendererReadyMs = await page.evaluate<number>('performance.now()');
      const catalog = await page.evaluate<{ at: number; cards: number }>(`(async () => {
        const token = sessionStorage.getItem('ic.launchToken') ?? '';
        const response = await fetch('/trpc/catalog.list', { headers: { ${JSON.stringify(launchTokenHeader)}: token } });
        const body = await response.json();
        return { at: performance.now(), cards: body.result?.data?.length ?? -1 };
      })()`);
      // The first run warms Chromium itself (process start, disk cache); it is not counted.
      if (i > 0) samples.push({ rendererReadyMs, catalogInPageMs: catalog.at, cards: catalog.cards });
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
