import { startFakeVendors } from '../../server/integrations/fakeVendors.js';

// The fake Syncro and MSP360 in a process of their own, so the health-sweep benchmark measures
// the scheduler's CPU and not the fakes'. Driven over IPC by bench/healthSweep.ts:
// argv[2] = JSON {partners, delayMs}; messages 'counts' → {syncroMe, msp360Companies, msp360Logins}; 'reset'.

const { partners, delayMs } = JSON.parse(process.argv[2] ?? '{}') as { partners: number; delayMs: number };
const fakes = await startFakeVendors({ syncro: { rateLimitPerMinute: null }, msp360: { rateLimitPerMinute: null } });
fakes.syncro.setFaults({ delayMs });
fakes.msp360.setFaults({ delayMs });
for (let i = 1; i <= partners; i++) {
  fakes.syncro.addTenant(`b${i}`, { tokens: [{ token: `bench-syncro-token-${i}` }], customers: 5, tickets: 2 });
  fakes.msp360.addAccount({ login: `b${i}-api`, password: `bench-msp-password-${i}`, companies: 2, users: 3 });
}

const counts = () => ({
  syncroMe: fakes.syncro.requestCount({ path: '/me' }),
  syncroRequests: fakes.syncro.requestCount(),
  msp360Companies: fakes.msp360.requestCount({ path: '/api/Companies' }),
  msp360Logins: fakes.msp360.requestCount({ path: '/api/Provider/Login' }),
});

process.on('message', (message: string) => {
  if (message === 'counts') process.send?.({ type: 'counts', ...counts() });
  if (message === 'reset') {
    fakes.syncro.resetCounts();
    fakes.msp360.resetCounts();
    process.send?.({ type: 'reset' });
  }
  if (message === 'stop') void fakes.close().then(() => process.exit(0));
});
process.send?.({ type: 'ready', ...fakes.env });
