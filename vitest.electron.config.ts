import { defineConfig } from 'vitest/config';

// `npm run test:electron` (scripts/testElectron.ts): the Playwright `_electron` suite, which needs
// the Electron binary and a built app. Not part of `npm test`; same PostgreSQL harness.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/globalSetup.ts'],
    include: ['electron/e2e/**/*.e2e.ts'],
    environment: 'node',
  },
});
