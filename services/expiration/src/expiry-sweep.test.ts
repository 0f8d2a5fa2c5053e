import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, messagingMigrations, migrate, type Database } from '@ticketing/common';
import { BullMqScheduler } from '@ticketing/common/bullmq';
import { openPostgres } from '@ticketing/common/postgres';
import { outboxEnvelopes } from '../../../test-support/events.js';
import {
  REDIS_URL,
  dropDatabase,
  hasPostgres,
  obliterateQueue,
  redisAvailable,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../test-support/servers.js';
import { insertExpiration, markExpired } from './data/expiration-repository.js';
import { expirationMigrations } from './data/migrations.js';
import { ExpirySweeper } from './domain/expiry-sweeper.js';

const hasRedis = await redisAvailable();

const expiriesIn = (db: Database, orderId: string) =>
  outboxEnvelopes(db, { subject: Subjects.OrderExpired, orderId });

describe.skipIf(!hasRedis || !hasPostgres)(
  'Expiry sweep: the expirations table is the record the scheduler is rebuilt from',
  () => {
    const url = uniqueDatabaseUrl('expiry_sweep');
    const queue = uniqueName('sweep');
    let db: Database;
    let scheduler: BullMqScheduler;

    beforeAll(async () => {
      db = await openPostgres(url);
      await migrate(db, [...messagingMigrations, ...expirationMigrations]);
      // Not started: these tests look at what is scheduled, not at jobs firing.
      scheduler = new BullMqScheduler({ url: REDIS_URL, queueName: queue, prefix: 'test' });
    });

    afterAll(async () => {
      await scheduler?.stop();
      await obliterateQueue(queue, 'test');
      await db?.close();
      await dropDatabase(url);
    });

    it('when Redis has forgotten the pending expiries, then a sweep schedules each again, and none that has fired', async () => {
      const pending = { orderId: randomUUID(), expiresAt: new Date(Date.now() + 60_000) };
      const fired = { orderId: randomUUID(), expiresAt: new Date(Date.now() + 60_000) };
      await insertExpiration(db, pending);
      await insertExpiration(db, fired);
      await markExpired(db, fired);
      await scheduler.schedule(pending.orderId, pending.expiresAt);
      // Redis restarted without persistence: the queue is empty.
      await obliterateQueue(queue, 'test');
      expect(await scheduler.pending()).toBe(0);

      const sweeper = new ExpirySweeper(db, scheduler, { intervalMs: 60_000 });
      expect(await sweeper.sweep()).toEqual({ expired: 0, scheduled: 1 });
      expect(await scheduler.pending()).toBe(1);
      // Idempotent: the job id is the order id.
      await sweeper.sweep();
      expect(await scheduler.pending()).toBe(1);
    });

    it('when an expiry is overdue and Redis does not answer, then a sweep fires it from the database, once', async () => {
      // Nothing listens on port 1: every Redis command fails.
      const down = new BullMqScheduler({ url: 'redis://127.0.0.1:1', queueName: queue });
      try {
        const overdue = { orderId: randomUUID(), expiresAt: new Date(Date.now() - 5_000) };
        const later = { orderId: randomUUID(), expiresAt: new Date(Date.now() + 60_000) };
        await insertExpiration(db, overdue);
        await insertExpiration(db, later);
        const sweeper = new ExpirySweeper(db, down, { intervalMs: 60_000 });

        const first = await sweeper.sweep();
        expect(first.expired).toBe(1);
        expect(first.scheduled).toBe(0);
        const events = await expiriesIn(db, overdue.orderId);
        expect(events.map((e) => e.data)).toEqual([{ orderId: overdue.orderId }]);
        expect(await expiriesIn(db, later.orderId)).toEqual([]);

        expect((await sweeper.sweep()).expired).toBe(0);
        expect(await expiriesIn(db, overdue.orderId)).toHaveLength(1);
      } finally {
        await down.stop();
      }
    });
  },
);
