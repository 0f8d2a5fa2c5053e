import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// `npm run test:faults`: the fault suite and the early-payment browser test. CI runs them as a
// stage of their own after `npm test` (.ci/run): the suite kills and restarts servers and
// processes, and on two cores it must not compete with the other test files for the CPU.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['tests/**/*.faults.ts'],
      testTimeout: 900_000,
      hookTimeout: 600_000,
    },
  }),
);
