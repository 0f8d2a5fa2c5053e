import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  startTestEmbeddedServer,
  type TestEmbeddedServer,
} from '../../../../test-support/embedded.js';
import { uniqueName } from '../../../../test-support/servers.js';
import { openPostgres } from '../db/postgres-database.js';
import { Subjects } from '../events/subjects.js';
import { LocalEventBus } from './local-event-bus.js';

const fixture = fileURLToPath(new URL('./fixtures/publish-then-die.ts', import.meta.url));
// The bus's database on the embedded server, which outlives the process that dies.
let server: TestEmbeddedServer | undefined;
beforeAll(async () => {
  server = await startTestEmbeddedServer();
});
afterAll(async () => server?.stop());

it('when the whole embedded process is killed, then each consumer gets, after restart, exactly what it had not handled', async () => {
  const url = server!.urlFor(uniqueName('bus'));
  const signal = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, url], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, sig) =>
      sig ? resolve(sig) : reject(new Error(`fixture exited ${code}`)),
    );
  });
  expect(signal).toBe('SIGKILL');

  const db = await openPostgres(url);
  const bus = await LocalEventBus.open(db);
  const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
  const bFinished = new Promise<void>((resolve) => {
    for (const consumer of ['a', 'b'] as const) {
      void bus.subscribe({
        consumer,
        subject: Subjects.UserCreated,
        handler: async (envelope) => {
          seen[consumer].push((envelope.data as { id: string }).id);
          if (seen.b.length === 3) resolve();
        },
      });
    }
  });
  await bFinished;
  await bus.close();
  await db.close();
  expect(seen.b).toEqual(['u2', 'u3', 'u4']);
  expect(seen.a).toEqual([]);
}, 60_000);
