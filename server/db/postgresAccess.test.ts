import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reachableBy } from './postgresAccess.js';

// An account that owns nothing here and is in no group that does: only "other" bits count.
const stranger = { uid: 65_530, gid: 65_530 };

describe('reachableBy', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('needs search permission on every folder on the way, and x on a program', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ic-reach-'));
    dirs.push(root);
    const program = path.join(root, 'inner', 'bin', 'postgres');
    await mkdir(path.dirname(program), { recursive: true, mode: 0o755 });
    await writeFile(program, '#!/bin/sh\n', { mode: 0o755 });

    await chmod(root, 0o700); // what mktemp -d and a home folder give
    expect(await reachableBy(program, stranger)).toBe(false);
    await chmod(root, 0o711);
    expect(await reachableBy(program, stranger)).toBe(true);
    await chmod(path.join(root, 'inner'), 0o750);
    expect(await reachableBy(program, stranger)).toBe(false);
    await chmod(path.join(root, 'inner'), 0o755);
    await chmod(program, 0o744);
    expect(await reachableBy(program, stranger)).toBe(false);
    expect(await reachableBy(path.join(root, 'missing'), stranger)).toBe(false);
  });

  it('counts the owner and group bits for their own account', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ic-reach-'));
    dirs.push(root);
    const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    await chmod(root, 0o700);
    expect(await reachableBy(root, me)).toBe(true);
  });
});
