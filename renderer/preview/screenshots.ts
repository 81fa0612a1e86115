/**
 * Screenshots and an axe-core scan of every preview screen, light and dark, in real Chromium.
 *
 *   npx tsx renderer/preview/screenshots.ts [--only <name>]
 *
 * Starts the preview (vite) itself, writes PNGs and report.json to test-results/ui-preview/,
 * prints each screen's serious/critical axe findings and its cumulative layout shift (how much
 * the page jumped while data arrived), and exits 1 when any screen has a serious or critical finding.
 */
import AxeBuilder from '@axe-core/playwright';
import sparticuz from '@sparticuz/chromium';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createServer } from 'vite';
import { scenarios } from './scenarios.js';

const outDir = path.resolve('test-results/ui-preview');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

// Sums layout-shift entries not caused by input: Chromium's CLS, measured from page load.
const measureShifts = `
  window.__cls = 0;
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls += e.value;
      const nodes = (e.sources || []).map((s) => s.node && s.node.nodeType === 1 ? s.node.tagName.toLowerCase() + '.' + String(s.node.className).split(' ')[0] : '#text');
      window.__shifts.push(e.value.toFixed(3) + ' ' + nodes.join(','));
    }
  }).observe({ type: 'layout-shift', buffered: true });
`;

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

async function scan(page: Page): Promise<Finding[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

// Sparticuz's Lambda flags include --single-process, in which closing a context ends the browser.
const launchArgs = sparticuz.args.filter((a) => a !== '--single-process');

async function main() {
  await mkdir(outDir, { recursive: true });
  const server = await createServer({ configFile: path.resolve('renderer/preview/vite.config.ts'), server: { port: 0 }, logLevel: 'warn' });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite did not report a URL');
  const browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: launchArgs, headless: true });
  const report: Record<string, { findings: Finding[]; cls: number; shifts: string[] }> = {};
  let blocking = 0;
  try {
    for (const scenario of scenarios.filter((s) => !only || s.name === only)) {
      for (const theme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: theme, reducedMotion: 'reduce' });
        const page = await context.newPage();
        await page.addInitScript(measureShifts);
        await page.goto(`${base}?${scenario.query}${scenario.hash ?? ''}`);
        await scenario.ready(page);
        const cls = Number(await page.evaluate('window.__cls'));
        const shifts = (await page.evaluate('window.__shifts')) as string[];
        if (scenario.act) await scenario.act(page);
        await page.waitForTimeout(150);
        const name = `${scenario.name}-${theme}`;
        await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: scenario.fullPage ?? true });
        const findings = await scan(page);
        const serious = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
        blocking += serious.length;
        report[name] = { findings, cls: Math.round(cls * 1000) / 1000, shifts };
        process.stdout.write(`${name.padEnd(32)} CLS ${report[name].cls.toFixed(3)}  axe: ${findings.length} finding(s), ${serious.length} serious/critical\n`);
        for (const f of findings) process.stdout.write(`    [${f.impact}] ${f.id}: ${f.help} — ${f.targets.join(', ')}\n`);
        if (cls >= 0.01) process.stdout.write(`    shifts: ${shifts.join(' | ')}\n`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  await writeFile(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2));
  process.stdout.write(`\nScreenshots and report.json in ${outDir}\n`);
  if (blocking > 0) {
    process.stdout.write(`${blocking} serious/critical accessibility finding(s)\n`);
    process.exitCode = 1;
  }
}

await main();
