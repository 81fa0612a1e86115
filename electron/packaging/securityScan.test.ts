import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronVersion, formatIssues, lowerForScan, scanElectronApp } from './securityScan.js';
import { buildAppInto, repoRoot } from './test/buildApp.js';

/** The Electronegativity scan of the built app: CI fails on any HIGH finding or unread file. */
let dir: string;
let scanDir: string;
let version: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-scan-'));
  const out = await buildAppInto(dir);
  scanDir = path.join(dir, 'scan');
  const files = await lowerForScan(out, scanDir);
  expect(files).toEqual(expect.arrayContaining(['main/index.js', 'preload/index.js', 'renderer/index.html']));
  version = await electronVersion(repoRoot);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Electronegativity', () => {
  it('finds nothing of high severity in the built app, and reads every file', async () => {
    const started = Date.now();
    const report = await scanElectronApp(scanDir, version);
    console.warn(`Electronegativity: ${report.result.atomicChecks} atomic and ${report.result.globalChecks} global checks in ${Date.now() - started} ms; findings:\n${formatIssues(report.result.issues) || 'none'}`);
    expect(report.unread).toEqual([]);
    expect(report.high, formatIssues(report.high)).toEqual([]);
    // The checks that need our main process code did see it (no "navigation not limited" or
    // "no permission handler" finding, which is what a scan of nothing reports).
    const ids = report.result.issues.map((i) => i.id);
    expect(ids).not.toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
    expect(ids).not.toContain('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK');
  });

  it('does fail a build whose window loses its context isolation', async () => {
    const mainFile = path.join(dir, 'weakened-main.js');
    const main = await readFile(path.join(scanDir, 'main/index.js'), 'utf8');
    expect(main).toContain('contextIsolation: true');
    await writeFile(mainFile, main.replace('contextIsolation: true', 'contextIsolation: false'));
    const report = await scanElectronApp(mainFile, version);
    expect(report.high.map((i) => i.id)).toContain('CONTEXT_ISOLATION_JS_CHECK');
  });
});
