import { ensureDesktopBuild } from '../../scripts/desktopBuild.js';
import { chromiumExecutable } from './browser.js';

/**
 * Once per `npm test` run, before the e2e files: builds the renderer when `out/renderer` is
 * missing or older than its sources (electron-vite, a few seconds), and unpacks the Chromium of
 * `@sparticuz/chromium` once, so two test files never unpack it at the same time.
 */
export default async function setup(): Promise<void> {
  await ensureDesktopBuild({ needMain: false });
  await chromiumExecutable();
}
