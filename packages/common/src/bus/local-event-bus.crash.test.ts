import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openPglite } from '../db/pglite-database.js';
import { Subjects } from '../events/subjects.js';
import { LocalEventBus } from './local-event-bus.js';

const fixture = fileURLToPath(new URL('./fixtures/publish-then-die.ts', import.meta.url));
let dataDir: string;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('when the whole embedded process is killed, then each consumer gets, after restart, exactly what it had not handled', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-bus-'));
  const signal = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, sig) =>
      sig ? resolve(sig) : reject(new Error(`fixture exited ${code}`)),
    );
  });
  expect(signal).toBe('SIGKILL');

  const db = await openPglite(dataDir);
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
});
