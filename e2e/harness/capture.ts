import axe, { type Result } from 'axe-core';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './desktop.js';

export const artifactDir = path.join(repoRoot, 'test-results/e2e');

export interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const blocking = new Set(['serious', 'critical']);
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * One axe-core scan of the page's document, violations only. axe-core is injected once per
 * document (the app routes by hash, so that is once per page load) and run in place:
 * @axe-core/playwright injects it on every scan and finishes each in a fresh page, for
 * cross-origin frames this app does not have, which made a scan about four times as slow
 * (1.5 s against 0.35 s on a detail screen) and was most of the e2e suite's time.
 */
async function scan(page: Page): Promise<Result[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations'] }).then((r) => r.violations)`);
}

/**
 * Screenshots and an axe-core scan of a screen, in light and dark (the app follows the system
 * setting, emulated here). Every finding is kept for the report; serious and critical ones are
 * returned so the test fails on them.
 */
export class ScreenCapture {
  readonly report: Record<string, Finding[]> = {};

  constructor(private readonly suite: string) {}

  async screen(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<Finding[]> {
    await mkdir(artifactDir, { recursive: true });
    const serious: Finding[] = [];
    // A full-page picture of a scrolled page shows the sticky header halfway down: start at the top.
    await page.evaluate('window.scrollTo(0, 0)');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // Let the theme's colours apply before the picture and the contrast check.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
      await page.screenshot({ path: path.join(artifactDir, `${this.suite}-${name}-${scheme}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
      const violations = await scan(page);
      const findings = violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
      this.report[`${name}-${scheme}`] = findings;
      serious.push(...findings.filter((f) => blocking.has(f.impact)));
    }
    await page.emulateMedia({ colorScheme: 'light' });
    return serious;
  }

  /** What the page looked like when a test failed, to read beside the error. */
  async failure(page: Page, test: string): Promise<void> {
    await mkdir(artifactDir, { recursive: true });
    const name = test.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await page.screenshot({ path: path.join(artifactDir, `${this.suite}-FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
  }

  async write(): Promise<void> {
    await mkdir(artifactDir, { recursive: true });
    await writeFile(path.join(artifactDir, `${this.suite}-axe.json`), `${JSON.stringify(this.report, null, 2)}\n`);
  }
}
