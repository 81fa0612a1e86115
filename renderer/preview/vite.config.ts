import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `npx vite --config renderer/preview/vite.config.ts`: the dev preview on fixture data. */
export default defineConfig({
  root: 'renderer/preview',
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5199, strictPort: false },
  build: { outDir: '../../out/preview', emptyOutDir: true },
});
