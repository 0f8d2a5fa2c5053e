import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// `npm run test:faults`: the fault suite and the early-payment browser test, on demand. They are
// not part of `npm test` yet: on this two-core machine under other load they were not shown to
// pass reliably (see the note), and a flaky suite would block every landing.
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
