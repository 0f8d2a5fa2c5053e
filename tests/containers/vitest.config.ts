import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

/**
 * The container tests (`npm run test:containers`, and CI's containers stage): one podman stack
 * for all files (global-setup.ts), so the files run one after another.
 */
export default defineConfig({
  ...root,
  test: {
    ...root.test,
    root: fileURLToPath(new URL('../../', import.meta.url)),
    include: ['tests/containers/**/*.test.ts'],
    exclude: [],
    globalSetup: ['tests/containers/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
