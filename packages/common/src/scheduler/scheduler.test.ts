import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startTestEmbeddedServer,
  type TestEmbeddedServer,
} from '../../../../test-support/embedded.js';
import { eventually } from '../../../../test-support/http.js';
import { runUntilKilled } from '../../../../test-support/processes.js';
import {
  REDIS_URL,
  dropDatabase,
  hasPostgres,
  obliterateQueue,
  redisAvailable,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../../test-support/servers.js';
import type { Database } from '../db/database.js';
import { openPostgres } from '../db/postgres-database.js';
import { BullMqScheduler } from './bullmq-scheduler.js';
import { DatabaseScheduler } from './database-scheduler.js';
import type { DueJob, Scheduler } from './scheduler.js';

const hasRedis = await redisAvailable();

// The embedded mode's engine, started once for this file when a test asks for it.
let embeddedServer: Promise<TestEmbeddedServer> | undefined;
beforeAll(async () => {
  await (embeddedServer ??= startTestEmbeddedServer());
});
afterAll(async () => (await embeddedServer)?.stop());

/** Short retries and a short lock, so the failure cases resolve quickly. */
const BACKOFF_MS = [50, 100];
const LOCK_MS = 1_000;

/** One place that keeps jobs: a scheduler made twice on it sees the same jobs. */
interface Store {
  make(): Promise<Scheduler>;
  /** Arguments of fixtures/run-then-die.ts that make it use this store. */
  fixtureArgs: string[];
  cleanup(): Promise<void>;
}

interface Setup {
  name: string;
  enabled: boolean;
  store(): Promise<Store>;
}

/** A Database opened on first use, so a child process can use the store before this one does. */
function databaseStore(
  target: string,
  open: () => Promise<Database>,
  remove: () => Promise<void>,
): Store {
  let db: Promise<Database> | undefined;
  return {
    fixtureArgs: ['postgres', target],
    async make() {
      db ??= open();
      return DatabaseScheduler.create(await db, { backoffMs: BACKOFF_MS });
    },
    async cleanup() {
      await (await db)?.close();
      await remove();
    },
  };
}

const setups: Setup[] = [
  {
    name: 'DatabaseScheduler on the embedded server',
    enabled: true,
    async store() {
      const server = await (embeddedServer ??= startTestEmbeddedServer());
      const url = server.urlFor(uniqueName('scheduler'));
      // The database goes with the server's folder.
      return databaseStore(
        url,
        () => openPostgres(url),
        async () => undefined,
      );
    },
  },
  {
    name: 'DatabaseScheduler on PostgreSQL',
    enabled: hasPostgres,
    async store() {
      const url = uniqueDatabaseUrl('scheduler');
      return databaseStore(
        url,
        () => openPostgres(url),
        () => dropDatabase(url),
      );
    },
  },
  {
    name: 'BullMqScheduler on Redis',
    enabled: hasRedis,
    async store() {
      const queueName = uniqueName('scheduler');
      const prefix = 'test';
      return {
        fixtureArgs: ['bullmq', `${REDIS_URL}#${queueName}`],
        make: async () =>
          new BullMqScheduler({
            url: REDIS_URL,
            queueName,
            prefix,
            backoffMs: BACKOFF_MS,
            lockDurationMs: LOCK_MS,
            stalledIntervalMs: 500,
          }),
        cleanup: () => obliterateQueue(queueName, prefix),
      };
    },
  },
];

/** A handler that records each run; `fail(job)` returning true makes that run throw. */
function recorder(fail: (job: DueJob) => boolean = () => false) {
  const runs: (DueJob & { at: number })[] = [];
  return {
    runs,
    handler: async (job: DueJob) => {
      runs.push({ ...job, at: Date.now() });
      if (fail(job)) throw new Error(`attempt ${job.attempt} fails on purpose`);
    },
    /** Resolves once `count` runs have happened. */
    until: (count: number) => eventually(() => runs.length >= count, Boolean, 20_000),
  };
}

const fixture = fileURLToPath(new URL('./fixtures/run-then-die.ts', import.meta.url));

describe.each(setups)('Scheduler contract: $name', (setup) => {
  let store: Store;
  const made: Scheduler[] = [];
  /** A scheduler on this test's store, stopped after the test. */
  const scheduler = async () => {
    const s = await store.make();
    made.push(s);
    return s;
  };
  const allDone = (s: Scheduler) =>
    eventually(
      () => s.pending(),
      (n) => n === 0,
      20_000,
    );

  beforeEach(async () => {
    if (setup.enabled) store = await setup.store();
  });
  afterEach(async () => {
    if (!setup.enabled) return;
    for (const s of made.splice(0)) await s.stop();
    await store.cleanup();
  });

  it.skipIf(!setup.enabled)(
    'when a job comes due, then it runs once and not before its due time',
    async () => {
      const s = await scheduler();
      await s.ping();
      const rec = recorder();
      await s.start(rec.handler);
      const dueAt = new Date(Date.now() + 300);

      await s.schedule('job-a', dueAt);

      await rec.until(1);
      await allDone(s);
      expect(rec.runs).toEqual([{ id: 'job-a', dueAt, attempt: 1, at: expect.any(Number) }]);
      expect(rec.runs[0]!.at).toBeGreaterThanOrEqual(dueAt.getTime());
    },
  );

  it.skipIf(!setup.enabled)(
    'when one id is scheduled twice, then it runs once, at the first due time',
    async () => {
      const s = await scheduler();
      const rec = recorder();
      await s.start(rec.handler);
      const first = new Date(Date.now() + 400);

      await s.schedule('job-b', first);
      await s.schedule('job-b', new Date(Date.now() + 100));
      await Promise.all([s.schedule('job-b', first), s.schedule('job-b', first)]);

      await rec.until(1);
      await allDone(s);
      expect(rec.runs.map((r) => [r.id, r.dueAt])).toEqual([['job-b', first]]);
    },
  );

  it.skipIf(!setup.enabled)(
    'when the handler throws, then the job is retried until it succeeds',
    async () => {
      const s = await scheduler();
      const rec = recorder((job) => job.attempt < 3);
      await s.start(rec.handler);

      await s.schedule('job-c', new Date());

      await rec.until(3);
      await allDone(s);
      expect(rec.runs.map((r) => [r.id, r.attempt])).toEqual([
        ['job-c', 1],
        ['job-c', 2],
        ['job-c', 3],
      ]);
    },
  );

  it.skipIf(!setup.enabled)(
    'when the scheduler stops before the due time, then a new one on the same store runs the job',
    async () => {
      const before = await scheduler();
      const early = recorder();
      await before.start(early.handler);
      const dueAt = new Date(Date.now() + 2_000);
      await before.schedule('job-d', dueAt);
      await before.stop();
      expect(early.runs).toEqual([]);

      const after = await scheduler();
      expect(await after.pending()).toBe(1);
      const rec = recorder();
      await after.start(rec.handler);

      await rec.until(1);
      await allDone(after);
      expect(rec.runs).toEqual([{ id: 'job-d', dueAt, attempt: 1, at: expect.any(Number) }]);
      expect(rec.runs[0]!.at).toBeGreaterThanOrEqual(dueAt.getTime());
    },
  );

  it.skipIf(!setup.enabled)(
    'when many jobs are scheduled out of order, then they run in due-time order',
    async () => {
      const s = await scheduler();
      const base = Date.now() + 300;
      const jobs = Array.from({ length: 20 }, (_, i) => ({
        id: `job-${String(i).padStart(2, '0')}`,
        dueAt: new Date(base + i * 25),
      }));
      const shuffled = [...jobs].sort(() => Math.random() - 0.5);
      // All scheduled before the start, so a slow machine cannot run one before a later
      // schedule call adds an earlier job.
      for (const job of shuffled) await s.schedule(job.id, job.dueAt);
      const rec = recorder();

      await s.start(rec.handler);

      await rec.until(jobs.length);
      await allDone(s);
      expect(rec.runs.map((r) => r.id)).toEqual(jobs.map((j) => j.id));
    },
  );

  it.skipIf(!setup.enabled)(
    'when the process dies while a job runs, then the job runs again after a restart',
    async () => {
      const signal = await runUntilKilled(fixture, [...store.fixtureArgs, 'job-e', 'test']);
      expect(signal).toBe('SIGKILL');

      const s = await scheduler();
      const rec = recorder();
      await s.start(rec.handler);

      await rec.until(1);
      await allDone(s);
      expect(rec.runs.map((r) => r.id)).toEqual(['job-e']);
    },
  );

  it.skipIf(!setup.enabled)(
    'when a job id is not usable on every adapter, then it is refused',
    async () => {
      const s = await scheduler();
      for (const id of ['', 'a:b', '42']) {
        await expect(s.schedule(id, new Date())).rejects.toThrow(/invalid job id/);
      }
      await expect(s.schedule('ok', new Date(Number.NaN))).rejects.toThrow(/valid Date/);
      expect(await s.pending()).toBe(0);
    },
  );
});
