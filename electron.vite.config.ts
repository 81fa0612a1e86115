import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * main: the Electron shell + desktop core, with every pure-JS dependency bundled in, so the
 * packaged app carries one native module (better-sqlite3, rebuilt for Electron when packaging)
 * and nothing of the server's dependencies. preload: one sandboxed CommonJS bundle with
 * everything inlined (sandboxed preloads cannot require modules). renderer: the React UI from
 * renderer/, served from app:// or by browser mode.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      lib: { entry: 'electron/main/index.ts', formats: ['es'] },
      rollupOptions: { external: ['electron', 'better-sqlite3'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      lib: { entry: 'electron/preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      emptyOutDir: true,
      minify: true,
      // One ~500 kB bundle read from local disk (app:// or loopback), never over a network:
      // splitting it would add requests without making the first screen faster.
      chunkSizeWarningLimit: 1024,
      rollupOptions: { input: 'renderer/index.html' },
    },
  },
});
