import type { FakeMicrosoft365 } from '../integrations/microsoft365/fakeServer.js';
import { seedM365Partner } from '../integrations/microsoft365/fakeSeed.js';

/** What Northwind stores for Microsoft 365, the health the demo expects, and the walk-through's tenants. */
export interface DemoMicrosoft365Seed {
  settings: { northwind: Record<string, string> };
  expect: { northwind: 'ok' | 'degraded' | 'error' };
  /** Dataforth's two tenants (map both to the client "Dataforth Corp.") and Harbor Dental's, whose admin has not consented. */
  tenants: { dataforth: string; dataforthEu: string; harborDental: string };
}

const names = ['Dataforth', 'Dataforth EU', 'Harbor Dental'];

/**
 * Registers Northwind's multi-tenant Entra app at the Microsoft 365 fake (issue 26) with 30
 * customer tenants under active GDAP relationships. Harbor Dental's administrator never consented,
 * so once that tenant is mapped it shows "consent missing" with its link. Nothing is mapped here:
 * the newcomer discovers and maps in the walk-through, so the first check is Active. The fake
 * holds one partner: Contoso has no Microsoft 365. Idempotent (the fake is reset first).
 */
export function seedDemoMicrosoft365(fake: FakeMicrosoft365): DemoMicrosoft365Seed {
  fake.reset();
  const seeded = seedM365Partner(fake, { prefix: 0x6d5, tenants: 30, names: (i) => names[i - 1] ?? `Customer ${String(i).padStart(2, '0')} Ltd` });
  const [dataforth, dataforthEu, harborDental] = seeded.tenants.map((t) => t.id) as [string, string, string];
  fake.setConsent(harborDental, 'not_consented');
  return { settings: { northwind: seeded.settings }, expect: { northwind: 'ok' }, tenants: { dataforth, dataforthEu, harborDental } };
}
