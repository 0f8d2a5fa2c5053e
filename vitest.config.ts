import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests import the workspace packages from source, so a test run never depends on a stale build.
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@ticketing/common': src('./packages/common/src/index.ts'),
      '@ticketing/auth': src('./services/auth/src/index.ts'),
      '@ticketing/tickets': src('./services/tickets/src/index.ts'),
      '@ticketing/orders': src('./services/orders/src/index.ts'),
      '@ticketing/payments': src('./services/payments/src/index.ts'),
      '@ticketing/expiration': src('./services/expiration/src/index.ts'),
      '@ticketing/notifications': src('./services/notifications/src/index.ts'),
      '@ticketing/distributed': src('./packages/distributed/src/index.ts'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'client/lib/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    // The container tests need the images built first and one podman stack for all their files:
    // `npm run test:containers` (tests/containers/vitest.config.ts), a stage of its own in CI.
    exclude: [...configDefaults.exclude, 'tests/containers/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel worker processes, each with its own databases.
    pool: 'forks',
  },
});
