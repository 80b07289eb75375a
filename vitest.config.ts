/** Test runner configuration: unit tests beside the code, `*.int.test.ts` against real PostgreSQL and Redis. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,cli,clients,console,demo,testing,gateway,schemas,certs,queues,adapters,security}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'console/dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
