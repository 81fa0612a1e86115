import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import run, { type ElectronegativityIssue, type ElectronegativityResult } from '@doyensec/electronegativity';
import ts from 'typescript';

/**
 * Electronegativity over the built app (out/main, out/preload, out/renderer).
 *
 * Electronegativity 1.10 parses JavaScript with esprima and walks Babel trees with estraverse,
 * neither of which knows ES2022 class fields: on our bundle it reports "Unknown node type
 * ClassPrivateProperty" for out/main and silently checks nothing there (and it skips `.cjs`,
 * the preload). So the scan reads a copy of the built files with only the syntax lowered to
 * ES2019 by TypeScript — same calls, same options objects, same strings — and any file it still
 * cannot parse fails the scan instead of passing it unread.
 */

/** Electron version the app ships (checks that depend on it use this, not a network lookup). */
export async function electronVersion(root: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * Checks left out, each with its reason:
 * - AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub on every
 *   run (CI has no such access, and a scan must not depend on the network). Staying on a
 *   patched Electron is the pinned `electron` devDependency's job.
 */
export const excludedChecks = ['AvailableSecurityFixesGlobalCheck'] as const;

/** Copies the built app with JavaScript lowered to ES2019 (.cjs renamed .js so it is scanned). */
export async function lowerForScan(outDir: string, scanDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const rel of await listFiles(outDir)) {
    const source = path.join(outDir, rel);
    if (/\.(c|m)?js$/.test(rel)) {
      const target = rel.replace(/\.(c|m)js$/, '.js');
      const output = ts.transpileModule(await readFile(source, 'utf8'), {
        fileName: target,
        compilerOptions: { target: ts.ScriptTarget.ES2019, module: ts.ModuleKind.ESNext, allowJs: true, removeComments: false },
      }).outputText;
      await mkdir(path.dirname(path.join(scanDir, target)), { recursive: true });
      await writeFile(path.join(scanDir, target), output);
      written.push(target);
    } else if (/\.(html|json)$/.test(rel)) {
      await mkdir(path.dirname(path.join(scanDir, rel)), { recursive: true });
      await copyFile(source, path.join(scanDir, rel));
      written.push(rel);
    }
  }
  return written.sort();
}

export interface ScanReport {
  result: ElectronegativityResult;
  /** HIGH severity findings: any one fails the scan. */
  high: ElectronegativityIssue[];
  /** Files Electronegativity could not parse (so it did not check them): any one fails the scan. */
  unread: string[];
}

export async function scanElectronApp(input: string, version: string): Promise<ScanReport> {
  const result = await run({ input, isRelative: true, electronVersionOverride: version, excludeFromScan: [...excludedChecks] });
  return {
    result,
    high: result.issues.filter((i) => i.severity.name === 'HIGH'),
    unread: result.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`),
  };
}

/** One line per finding, for test failures and logs. */
export function formatIssues(issues: readonly ElectronegativityIssue[]): string {
  return issues.map((i) => `${i.severity.name} ${i.id} ${i.file}:${i.location.line} ${i.description}`).join('\n');
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(dir, rel)));
    else files.push(rel);
  }
  return files;
}
