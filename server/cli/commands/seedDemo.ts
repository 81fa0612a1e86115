import { hashPassword } from '../../auth/passwords.js';
import { ensurePartner } from '../../db/partners.js';
import { withSystem } from '../../db/pool.js';
import { upsertUser } from '../../db/users.js';
import type { Role } from '../../../shared/auth.js';
import { parseCliArgs } from '../args.js';
import type { Command } from '../command.js';

/** The demo world: the platform operator (partner #1) and two fictional MSPs. */
export const demoPartners = [
  { name: 'ACG', isDev: true, slug: 'acg' },
  { name: 'Northwind MSP', isDev: false, slug: 'northwind' },
  { name: 'Contoso Managed IT', isDev: false, slug: 'contoso' },
] as const;

export interface DemoSeed {
  partners: { id: number; name: string; isDev: boolean }[];
  users: { id: number; email: string; password: string; role: Role; partnerId: number }[];
}

/**
 * Creates (or resets) the demo partners and users. Re-running changes nothing but resets the
 * demo passwords, so the printed logins are always the ones that work.
 */
export async function seedDemo(db: Parameters<typeof withSystem>[0]): Promise<DemoSeed> {
  const users: { partnerId: number; email: string; displayName: string; role: Role; password: string }[] = [];
  const partners = await withSystem(db, async (tx) => {
    const made = [];
    for (const p of demoPartners) made.push(await ensurePartner(tx, p.name, p.isDev));
    return made;
  });
  for (const [i, p] of demoPartners.entries()) {
    const partnerId = partners[i]?.id as number;
    users.push(
      { partnerId, email: `admin@${p.slug}.example`, displayName: `${p.name} Admin`, role: 'partner_admin', password: `demo-${p.slug}-admin` },
      { partnerId, email: `tech@${p.slug}.example`, displayName: `${p.name} Technician`, role: 'partner_user', password: `demo-${p.slug}-tech` },
    );
  }
  const hashed = await Promise.all(users.map(async (u) => ({ ...u, passwordHash: await hashPassword(u.password) })));
  const ids = await withSystem(db, async (tx) => {
    const out: number[] = [];
    for (const u of hashed) out.push(await upsertUser(tx, u));
    return out;
  });
  return {
    partners: partners.map((p) => ({ id: p.id, name: p.name, isDev: p.isDev })),
    users: users.map((u, i) => ({ id: ids[i] as number, email: u.email, password: u.password, role: u.role, partnerId: u.partnerId })),
  };
}

export const seedDemoCommand: Command = {
  name: 'seed-demo',
  usage: 'seed-demo',
  summary: 'create the demo partners and users (idempotent); prints them with their passwords as JSON',
  async run(args, runtime, io) {
    parseCliArgs(args, {});
    const { deps } = await runtime();
    io.out(JSON.stringify(await seedDemo(deps.db), null, 2));
    return 0;
  },
};
