import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests import the workspace packages from source, so a test run never depends on a stale build.
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** An alias for exactly `name` (not for paths under it). */
const exactly = (name: string, path: string) => ({
  find: new RegExp(`^${name.replace(/[/.-]/g, '\\$&')}$`),
  replacement: src(path),
});

// The common package's root and each adapter subpath (`@ticketing/common/nats`, …), read from its
// package.json "exports" (`./dist/adapters/nats.js` is built from `src/adapters/nats.ts`).
const commonExports = JSON.parse(readFileSync(src('./packages/common/package.json'), 'utf8'))
  .exports as Record<string, { default: string }>;
const common = Object.entries(commonExports).map(([subpath, target]) =>
  exactly(
    `@ticketing/common${subpath.slice(1)}`,
    `./packages/common/${target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')}`,
  ),
);

export default defineConfig({
  resolve: {
    alias: [
      ...common,
      exactly('@ticketing/auth', './services/auth/src/index.ts'),
      exactly('@ticketing/tickets', './services/tickets/src/index.ts'),
      exactly('@ticketing/orders', './services/orders/src/index.ts'),
      exactly('@ticketing/payments', './services/payments/src/index.ts'),
      exactly('@ticketing/expiration', './services/expiration/src/index.ts'),
      exactly('@ticketing/notifications', './services/notifications/src/index.ts'),
      exactly('@ticketing/service-host', './apps/service/src/index.ts'),
      exactly('@ticketing/distributed', './apps/distributed/src/index.ts'),
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
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
