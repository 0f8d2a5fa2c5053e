import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../test-support/servers.js';
import { TEST_JWT_KEY } from '../../../test-support/service-harness.js';

const fixture = fileURLToPath(new URL('./fixtures/bug-after-start.ts', import.meta.url));
const databases: string[] = [];
const natsPrefix = uniqueName('process_end');
afterAll(async () => {
  for (const url of databases) await dropDatabase(url);
  await deleteNatsStreams(natsPrefix);
});

/** Runs the buggy standalone service until it exits: its exit code and what it printed. */
function runBuggy(failWith: string): Promise<{ code: number | null; output: string }> {
  const url = uniqueDatabaseUrl('process_end');
  databases.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        FAIL_WITH: failWith,
        DATABASE_URL: url,
        NATS_URL,
        NATS_PREFIX: natsPrefix,
        JWT_KEY: TEST_JWT_KEY,
        PORT: '0',
        METRICS_PORT: '0',
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.runIf(hasPostgres && hasNats)('a host process and the errors nobody caught', () => {
  it.each(['rejection', 'exception'])(
    'when a service has an unhandled %s, then the process logs it as fatal, stops the service and exits 1',
    async (failWith) => {
      const { code, output } = await runBuggy(failWith);
      const lines = output.split('\n');
      const fatal = lines.findIndex((l) => l.includes('uncaught error: stopping'));
      const stopped = lines.findIndex((l) => l.includes('buggy service stopped its consumers'));
      expect(code, output).toBe(1);
      expect(fatal, output).toBeGreaterThanOrEqual(0);
      expect(lines[fatal]).toMatch(
        failWith === 'exception' ? /a bug nobody caught/ : /nobody handled/,
      );
      expect(lines[fatal]).toContain('"level":60');
      // The service was stopped after the error was logged, not abandoned mid-flight.
      expect(stopped, output).toBeGreaterThan(fatal);
    },
    90_000,
  );
});
