/** Builds the web console into console/dist, served by the gateway at /console (npm run build:console; npm start and npm test run it). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The gateway's Content-Security-Policy allows its own files only: no inline scripts or styles.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
