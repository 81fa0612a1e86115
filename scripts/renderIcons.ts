import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium } from 'playwright-core';

/**
 * `npx tsx scripts/renderIcons.ts`: renders build/icon.svg to the PNGs electron-builder uses
 * (build/icon.png at 1024 px, from which it derives .icns, .ico and the Linux sizes, plus
 * build/icons/<size>x<size>.png for Linux). The PNGs are committed; run this after editing the SVG.
 */
const buildDir = path.resolve(import.meta.dirname, '../build');
const linuxSizes = [16, 32, 48, 64, 128, 256, 512];

async function main() {
  const svg = await readFile(path.join(buildDir, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args, headless: true });
  try {
    const page = await browser.newPage();
    for (const size of [1024, ...linuxSizes]) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`);
      const png = await page.locator('svg').screenshot({ omitBackground: true });
      const file = size === 1024 ? path.join(buildDir, 'icon.png') : path.join(buildDir, 'icons', `${size}x${size}.png`);
      await writeFile(file, png);
      console.log(`${path.relative(process.cwd(), file)}  ${png.length} bytes`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
