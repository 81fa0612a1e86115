import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// One PostgreSQL for the whole run (test/globalSetup.ts); each test file gets its own database
// cloned from a migrated template. Sized for 2-core machines.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/globalSetup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts', 'faults/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'desktop',
          environment: 'node',
          include: ['electron/**/*.test.ts'],
        },
      },
      {
        // End to end in real Chromium (@sparticuz/chromium) against browser mode, the real server,
        // PostgreSQL and the fake vendors. One browser, server and core per file.
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          // Added to the PostgreSQL one this project inherits (extends: true concatenates).
          globalSetup: ['e2e/harness/globalSetup.ts'],
          // One end-to-end file at a time, after the other projects: each runs a browser, a server
          // and a desktop core, and two at once beside the rest starved their 15 s waits on 2 cores.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // React components in jsdom, driven through the real desktop core against the real
        // server (renderer/test/desktopWorld.ts), so they need the PostgreSQL of the run too.
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.tsx', 'renderer/**/*.test.ts'],
          setupFiles: ['renderer/test/setup.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
