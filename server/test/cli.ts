import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/run.js';
import { testCredentialsKey, testEncryptionKeys, testJwtSecret, type TestServer } from './harness.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `npm run cli -- …` in-process against a test server's database, output captured; `env` overrides (e.g. another ring). */
export async function cliFor(server: TestServer, overrides: Record<string, string> = {}): Promise<(args: string[]) => Promise<CliResult>> {
  const env = {
    DATABASE_URL: server.database.url,
    JWT_SECRET: testJwtSecret,
    ENCRYPTION_KEYS: testEncryptionKeys,
    CREDENTIALS_KEY: testCredentialsKey,
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ic-cli-')),
    LOG_LEVEL: 'silent',
    ...overrides,
  };
  return async (args) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}
