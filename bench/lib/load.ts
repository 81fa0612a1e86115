import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const autocannonCli = path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  /** autocannon's fixed percentiles have no p95; p97.5 is reported as its (stricter) bound. */
  p97_5Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * Drives one URL with autocannon on loopback. The load generator runs in its own process so it
 * does not share the server's event loop (on 2 cores the two still share the machine).
 */
export async function load(options: {
  url: string;
  connections?: number;
  durationSeconds?: number;
  headers?: Record<string, string>;
}): Promise<LoadFigures> {
  const args = [autocannonCli, '--json', '-c', String(options.connections ?? 16), '-d', String(options.durationSeconds ?? 5)];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(options.url);
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p97_5: number; p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p97_5Ms: result.latency.p97_5,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
