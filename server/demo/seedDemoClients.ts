import { demoPartners, type DemoSeed } from '../cli/commands/seedDemo.js';
import { listClients } from '../db/clients.js';
import { withPartner, type Db } from '../db/pool.js';
import { createClient } from '../services/clients/clients.js';
import { systemActor } from '../services/integrations/actor.js';
import { demoClientWorlds } from './demoClients.js';

export interface DemoClients {
  partner: string;
  /** Clients the partner has after seeding, archived ones included. */
  clients: number;
  /** How many this run added (0 on every run after the first). */
  created: number;
}

/**
 * Gives each demo MSP its 25 clients, through the same service as POST /api/clients (so each
 * has its audit row). Idempotent without undoing the UI: a partner that already has clients,
 * archived ones included, is left as it is, so a rename or an archive survives a restart.
 */
export async function seedDemoClients(db: Db, seed: DemoSeed): Promise<DemoClients[]> {
  const out: DemoClients[] = [];
  for (const [slug, world] of Object.entries(demoClientWorlds)) {
    const name = demoPartners.find((p) => p.slug === slug)?.name;
    const partner = seed.partners.find((p) => p.name === name);
    if (!partner) throw new Error(`demo partner ${slug} was not seeded`);
    const existing = await withPartner(db, partner.id, (tx) => listClients(tx, partner.id, true));
    let created = 0;
    if (existing.length === 0) {
      for (const client of world.clients) {
        await createClient(db, partner.id, systemActor, client);
        created++;
      }
    }
    out.push({ partner: partner.name, clients: existing.length + created, created });
  }
  return out;
}
