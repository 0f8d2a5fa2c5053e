import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, hasPodman, podman } from './stack.js';

/** Paths that must stay out of every build context, at any depth. */
const OUT = [
  'node_modules/express/index.js',
  'services/auth/node_modules/x/index.js',
  'packages/common/dist/index.js',
  'services/tickets/tsconfig.tsbuildinfo',
  'client/.next/server/app.js',
  'data/jwt-key',
  'data/auth/PG_VERSION',
  'apps/embedded/data/bus/log',
  '.env',
  'services/payments/.env.local',
  '.npmrc',
  'deploy/tls/server.key',
  '.git/HEAD',
  '.test-output/results.json',
  'tests/deploy/manifests.test.ts',
  'services/auth/src/users-routes.test.ts',
];
/** Paths the images build from, including source folders named data. */
const IN = [
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'packages/common/package.json',
  'packages/common/src/index.ts',
  'packages/common/src/bus/fixtures/publish-then-die.ts',
  'services/auth/src/data/migrations.ts',
  'services/tickets/tsconfig.json',
  'client/package.json',
  'client/app/page.tsx',
  'client/app/icon.svg',
  'client/next.config.mjs',
];

/**
 * The repository's .dockerignore, applied by podman's own build: a folder holding both kinds of
 * path and that .dockerignore is sent as a context, and the image lists what arrived.
 */
describe.skipIf(!hasPodman && !process.env.CI)('.dockerignore, as podman builds with it', () => {
  it('when a build context is sent, then installed and built output, data folders, secrets and tests stay out, and what the images build from goes in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ticketing-context-'));
    const tag = `localhost/ticketing-context-check:${Date.now()}`;
    try {
      for (const path of [...OUT, ...IN]) {
        mkdirSync(join(dir, dirname(path)), { recursive: true });
        writeFileSync(join(dir, path), 'x');
      }
      copyFileSync(join(REPO, '.dockerignore'), join(dir, '.dockerignore'));
      const base = process.env.NODE_IMAGE ?? 'localhost/ticketing/node-base:20';
      writeFileSync(
        join(dir, 'Containerfile.check'),
        `FROM ${base}\nCOPY . /context/\nRUN cd /context && find . -type f > /files.txt\n`,
      );
      await podman(
        'build',
        '--quiet',
        '--layers=false',
        '-f',
        join(dir, 'Containerfile.check'),
        '-t',
        tag,
        dir,
      );
      const listed = await podman('run', '--rm', '--network', 'none', tag, 'cat', '/files.txt');
      const files = new Set(
        listed
          .split('\n')
          .filter(Boolean)
          .map((f) => f.replace(/^\.\//, '')),
      );
      expect(OUT.filter((path) => files.has(path))).toEqual([]);
      expect(IN.filter((path) => !files.has(path))).toEqual([]);
    } finally {
      await podman('rmi', '--force', tag).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
