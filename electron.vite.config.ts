import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * main: the Electron shell + desktop core (Node; better-sqlite3 stays external, native).
 * preload: one sandboxed CommonJS bundle with everything inlined (sandboxed preloads cannot
 * require modules). renderer: the React UI from renderer/, served from app:// or by browser mode.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: 'electron/main/index.ts', formats: ['es'] },
      rollupOptions: { external: ['better-sqlite3'] },
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
      rollupOptions: { input: 'renderer/index.html' },
    },
  },
});
