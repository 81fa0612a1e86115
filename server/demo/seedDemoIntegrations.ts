import type { IntegrationStatus } from '../../shared/integrations/catalog.js';
import { demoPartners, type DemoSeed } from '../cli/commands/seedDemo.js';
import type { AppDeps } from '../deps.js';
import type { DemoVendorSeed } from '../integrations/fakeVendors.js';
import { readConfig } from '../services/integrations/lookup.js';
import { configureIntegration } from '../services/integrations/mutations.js';
import { testIntegration } from '../services/integrations/testConnection.js';
import { setSecretsSetAt } from '../db/credentialAges.js';
import { withPartner } from '../db/pool.js';

/** Issue 18 §2 in the demo: Contoso's Huntress key was made 80 days ago, so it is "rotate soon" (limit 90). */
const agedCredentials: Partial<Record<string, Record<string, number>>> = { contoso: { huntress: 80 } };

export interface DemoIntegration {
  partner: string;
  key: string;
  status: IntegrationStatus;
  message: string | null;
}

/**
 * Configures the demo partners' integrations against the fake vendors, as their admins would,
 * and tests each once so the catalog shows real health at first sight. A configuration that
 * already exists is left alone (a fix made in the UI survives a restart), but tested again.
 */
export async function seedDemoIntegrations(deps: AppDeps, seed: DemoSeed, vendors: DemoVendorSeed): Promise<DemoIntegration[]> {
  const out: DemoIntegration[] = [];
  for (const demo of vendors.partners) {
    const name = demoPartners.find((p) => p.slug === demo.partner)?.name;
    const partner = seed.partners.find((p) => p.name === name);
    const admin = seed.users.find((u) => u.partnerId === partner?.id && u.role === 'partner_admin');
    if (!partner || !admin) throw new Error(`demo partner ${demo.partner} was not seeded`);
    const actor = { userId: admin.id, actor: admin.email };
    for (const [key, settings] of Object.entries(demo.settings)) {
      if (!settings) continue;
      if (!(await readConfig(deps.db, partner.id, key))) {
        await configureIntegration(deps, partner.id, actor, key, settings);
        const days = agedCredentials[demo.partner]?.[key];
        if (days) await withPartner(deps.db, partner.id, (tx) => setSecretsSetAt(tx, partner.id, key, new Date(Date.now() - days * 86_400_000)));
      }
      // Checked as the app checks a save: automatically, not a test by the admin.
      const tested = await testIntegration(deps, partner.id, actor, { key, afterSave: true });
      out.push({ partner: partner.name, key, status: tested.detail.state.status, message: tested.detail.state.errorMessage });
    }
  }
  return out;
}
