import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../test-support/servers.js';

const fixture = fileURLToPath(new URL('./fixtures/log-a-database-error.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const tsconfig = fileURLToPath(new URL('../../tsconfig.tests.json', import.meta.url));

/** Issue 14, point 4: a database error's log line carried the query's parameters. */
describe.skipIf(!hasPostgres)('secrets in logs', () => {
  const url = uniqueDatabaseUrl('logs');
  afterAll(() => dropDatabase(url));

  it('when a query carrying secrets fails and secrets are logged by name, then none reaches the log', () => {
    const run = spawnSync(tsx, ['--tsconfig', tsconfig, fixture, url], {
      env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(0);
    // The error itself is there, with what it is…
    expect(output).toMatch(/"msg":"unhandled error"/);
    expect(output).toMatch(/"code":"23505"/);
    // …but nothing it or the request was given.
    for (const secret of [
      'PLANTED-HASH',
      '4242424242424242',
      'PLANTED-PASSWORD',
      'tok_PLANTED',
      'PLANTED-JWT',
      'PLANTED-TICKET-CODE',
    ])
      expect(output).not.toContain(secret);
  });
});
