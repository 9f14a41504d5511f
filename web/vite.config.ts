import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Where `npm run dev -w web` forwards `/config.json` and `/api` during development: the local runtime started by
 * `npm start`. Override with SHELFWISE_LOCAL_URL when it listens elsewhere.
 */
const localRuntimeUrl = process.env.SHELFWISE_LOCAL_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/config.json': localRuntimeUrl,
      '/api': localRuntimeUrl,
      // The local token issuer's sign-in route (config.json's `localTokenUrl`).
      '/local-auth': localRuntimeUrl,
    },
  },
});
