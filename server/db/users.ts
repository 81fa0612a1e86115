import type { Role } from '../../shared/auth.js';
import { oneRow, type Queryable } from './pool.js';

// The users table is the global login directory (see the foundation migration); these queries
// run outside a partner scope because a login or a token precedes knowing the partner.

export interface PrincipalRow {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  partnerId: number;
  partnerName: string;
  isDev: boolean;
}

const principalColumns = `u.id, u.email, u.display_name AS "displayName", u.role, u.disabled,
  u.partner_id AS "partnerId", p.name AS "partnerName", p.is_dev AS "isDev"`;

export async function findPrincipal(db: Queryable, userId: number): Promise<PrincipalRow | undefined> {
  const { rows } = await db.query<PrincipalRow>(
    `SELECT ${principalColumns} FROM users u JOIN partners p ON p.id = u.partner_id WHERE u.id = $1`,
    [userId],
  );
  return rows[0];
}

export async function findLoginByEmail(
  db: Queryable,
  email: string,
): Promise<(PrincipalRow & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<PrincipalRow & { passwordHash: string }>(
    `SELECT ${principalColumns}, u.password_hash AS "passwordHash"
       FROM users u JOIN partners p ON p.id = u.partner_id WHERE lower(u.email) = lower($1)`,
    [email],
  );
  return rows[0];
}

export interface NewUser {
  partnerId: number;
  email: string;
  displayName: string;
  passwordHash: string;
  role: Role;
}

/** Creates a user, or updates the one with this email (the demo seed is re-runnable). */
export async function upsertUser(db: Queryable, user: NewUser): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO users (partner_id, email, display_name, password_hash, role) VALUES ($1, lower($2), $3, $4, $5)
     ON CONFLICT (lower(email)) DO UPDATE SET partner_id = EXCLUDED.partner_id, display_name = EXCLUDED.display_name,
       password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, disabled = false, updated_at = now()
     RETURNING id`,
    [user.partnerId, user.email, user.displayName, user.passwordHash, user.role],
  );
  return oneRow(result).id;
}

export async function insertUser(db: Queryable, user: NewUser): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO users (partner_id, email, display_name, password_hash, role) VALUES ($1, lower($2), $3, $4, $5)
     RETURNING id`,
    [user.partnerId, user.email, user.displayName, user.passwordHash, user.role],
  );
  return oneRow(result).id;
}

export async function findUserIdByRef(db: Queryable, ref: string): Promise<number | undefined> {
  const byId = /^[1-9][0-9]*$/.test(ref);
  const { rows } = await db.query<{ id: number }>(
    byId ? 'SELECT id FROM users WHERE id = $1' : 'SELECT id FROM users WHERE lower(email) = lower($1)',
    [byId ? Number(ref) : ref],
  );
  return rows[0]?.id;
}
