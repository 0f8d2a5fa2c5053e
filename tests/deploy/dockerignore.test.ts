import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerIgnore } from './lib/dockerignore.js';
import { REPO } from './lib/manifests.js';

describe('.dockerignore', () => {
  const ignore = DockerIgnore.load(join(REPO, '.dockerignore'));

  it('when the build context is made, then installed and built output, data folders and secrets stay out, at any depth', () => {
    const out = [
      'node_modules/express/index.js',
      'services/auth/node_modules/x/index.js',
      'packages/common/dist/index.js',
      'services/tickets/tsconfig.tsbuildinfo',
      'client/.next/server/app.js',
      'data/jwt-key',
      'data/auth/PG_VERSION',
      'packages/embedded/data/bus/log',
      '.env',
      'services/payments/.env.local',
      '.npmrc',
      'deploy/tls/server.key',
      '.git/HEAD',
      '.test-output/results.json',
      'tests/deploy/manifests.test.ts',
      'services/auth/src/users-routes.test.ts',
    ];
    expect(out.filter((path) => !ignore.ignores(path))).toEqual([]);
  });

  it('when the build context is made, then what the images build from goes in, including source folders named data', () => {
    const kept = [
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
    expect(kept.filter((path) => ignore.ignores(path))).toEqual([]);
  });

  it('when patterns are read as Docker reads them, then they anchor at the root, ** spans folders and ! re-includes', () => {
    const rules = new DockerIgnore('node_modules\n**/dist\n*.log\n!keep.log\n# comment\n/abs\n');
    expect(rules.ignores('node_modules/a')).toBe(true);
    expect(rules.ignores('pkg/node_modules/a')).toBe(false);
    expect(rules.ignores('dist')).toBe(true);
    expect(rules.ignores('a/b/dist/c.js')).toBe(true);
    expect(rules.ignores('x.log')).toBe(true);
    expect(rules.ignores('keep.log')).toBe(false);
    expect(rules.ignores('sub/x.log')).toBe(false);
    expect(rules.ignores('abs/file')).toBe(true);
  });
});
