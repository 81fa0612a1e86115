import { randomBytes } from 'node:crypto';
import type { Role } from '../../shared/auth.js';
import { hashPassword } from '../auth/passwords.js';
import type { Db } from '../db/pool.js';
import { withSystem } from '../db/pool.js';
import { insertUser } from '../db/users.js';

const suffix = () => randomBytes(4).toString('hex');

export async function makePartner(db: Db, options: { name?: string; isDev?: boolean } = {}) {
  const name = options.name ?? `Partner ${suffix()}`;
  const { rows } = await db.pool.query<{ id: number }>('INSERT INTO partners (name, is_dev) VALUES ($1, $2) RETURNING id', [
    name,
    options.isDev ?? false,
  ]);
  return { id: rows[0]?.id as number, name };
}

// One hash shared by every factory user keeps test files fast; login tests use their own.
let sharedHash: Promise<string> | undefined;
export const factoryPassword = 'correct horse battery staple';

export async function makeUser(db: Db, partnerId: number, role: Role = 'partner_admin', options: { email?: string; disabled?: boolean } = {}) {
  sharedHash ??= hashPassword(factoryPassword);
  const email = options.email ?? `${role}-${suffix()}@example.test`;
  const id = await withSystem(db, (tx) =>
    insertUser(tx, { partnerId, email, displayName: `User ${email}`, passwordHash: '', role }),
  );
  await db.pool.query('UPDATE users SET password_hash = $2, disabled = $3 WHERE id = $1', [id, await sharedHash, options.disabled ?? false]);
  return { id, email, partnerId, role, password: factoryPassword };
}
