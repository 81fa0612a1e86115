import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { tokenStorageKinds } from '../../../shared/localApi.js';

/** A server token as the core keeps it. Never sent to the renderer. */
export const storedTokenSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.iso.datetime(),
  serverUrl: z.string(),
  userId: z.number().int(),
});
export type StoredToken = z.infer<typeof storedTokenSchema>;

/**
 * Where the main process keeps the token: the OS keyring through Electron's safeStorage, a file
 * only the user can read (browser mode), or memory only (the user signs in after each start).
 */
export interface TokenStore {
  readonly kind: (typeof tokenStorageKinds)[number];
  /** Shown to the user when the storage is weaker than they would expect; null otherwise. */
  readonly note: string | null;
  load(): Promise<StoredToken | null>;
  save(token: StoredToken): Promise<void>;
  clear(): Promise<void>;
}

export function memoryTokenStore(note: string | null = null): TokenStore {
  let current: StoredToken | null = null;
  return {
    kind: 'memory',
    note,
    load: async () => current,
    save: async (token) => {
      current = token;
    },
    clear: async () => {
      current = null;
    },
  };
}

/** Browser mode: `<dataDir>/token.json`, mode 0600, in a 0700 directory. */
export function fileTokenStore(dataDir: string): TokenStore {
  const file = path.join(dataDir, 'token.json');
  return {
    kind: 'file',
    note: null,
    async load() {
      try {
        const parsed = storedTokenSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async save(token) {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      await writeFile(file, JSON.stringify(token), { mode: 0o600 });
      // writeFile keeps the mode of an existing file; make sure it is the user's alone.
      await chmod(file, 0o600);
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}
