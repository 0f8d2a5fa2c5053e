import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.js';

// `npm run test:faults`: the fault suite and the early-payment browser test. CI runs them as a
// stage of their own after `npm test` (.ci/run): the suite kills and restarts servers and
// processes, and on two cores it must not compete with the other test files for the CPU.
// Spread, not mergeConfig: mergeConfig concatenates `include` lists, which ran every test again.
export default defineConfig({
  ...root,
  test: {
    ...root.test,
    root: fileURLToPath(new URL('../../', import.meta.url)),
    include: ['tests/**/*.faults.ts'],
    testTimeout: 900_000,
    hookTimeout: 600_000,
  },
});
