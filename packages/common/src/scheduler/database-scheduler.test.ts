import { afterAll, expect, it } from 'vitest';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../../test-support/servers.js';
import { eventually } from '../../../../test-support/http.js';
import { openPostgres } from '../db/postgres-database.js';
import { DatabaseScheduler } from './database-scheduler.js';

const url = uniqueDatabaseUrl('scheduler_backlog');
afterAll(() => dropDatabase(url));

it.runIf(hasPostgres)(
  'when a backlog of jobs is due and concurrency is 4, then 4 run at once, started in due-time order, each once, and all leave the table',
  async () => {
    const db = await openPostgres(url);
    const scheduler = await DatabaseScheduler.create(db, { concurrency: 4 });
    const past = Date.now() - 60_000;
    const ids = Array.from({ length: 12 }, (_, i) => `job-${String(i).padStart(2, '0')}`);
    // Scheduled in reverse: the run order comes from the due times, not the insert order.
    for (const [i, id] of [...ids.entries()].reverse()) {
      await scheduler.schedule(id, new Date(past + i * 1_000));
    }
    const started: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    await scheduler.start(async (job) => {
      started.push(job.id);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running -= 1;
    });
    await eventually(
      () => scheduler.pending(),
      (n) => n === 0,
      10_000,
    );
    await scheduler.stop();
    await db.close();
    expect(started).toEqual(ids);
    expect(mostAtOnce).toBe(4);
  },
);
