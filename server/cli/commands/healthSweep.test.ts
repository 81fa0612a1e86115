import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredentialsKey, testEncryptionKeys, testJwtSecret } from '../../test/harness.js';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';
import { runCli } from '../run.js';

describe('npm run cli -- health-sweep', () => {
  let w: HealthWorld;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    w = await createHealthWorld({ partners: 3 });
    w.fake.setFaults({ badCredentials: true }, w.partners[2]?.subdomain);
    env = {
      DATABASE_URL: w.server.database.url,
      JWT_SECRET: testJwtSecret,
      ENCRYPTION_KEYS: testEncryptionKeys,
      CREDENTIALS_KEY: testCredentialsKey,
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ic-cli-')),
      SYNCRO_BASE_URL: w.fake.baseUrl,
    };
  });
  afterAll(() => w.close());

  const sweep = async (args: string[] = []) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['health-sweep', ...args], env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, summary: JSON.parse(out.join('\n')) as Record<string, number>, text: err.join('\n') };
  };

  it('checks what is due (never-checked configurations included), then nothing until --all', async () => {
    const first = await sweep();
    expect(first.code).toBe(0);
    expect(first.summary).toMatchObject({ checked: 3, ok: 2, error: 1, transitions: 3 });
    expect(first.text).toMatch(/^Checked 3 integration\(s\) in [0-9.]+ s: 2 ok, 0 degraded, 1 error, 3 status change\(s\)$/);
    expect((await sweep()).summary).toMatchObject({ checked: 0 });
    expect((await sweep(['--all'])).summary).toMatchObject({ checked: 3, ok: 2, error: 1, transitions: 0 });
    expect(w.fake.requestCount({ path: '/me' })).toBe(6);
  });

  it('refuses unknown options', async () => {
    const out: string[] = [];
    const code = await runCli(['health-sweep', '--everything'], env, { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(2);
  });
});
