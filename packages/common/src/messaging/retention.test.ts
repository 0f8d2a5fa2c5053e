import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../../test-support/servers.js';
import { LocalEventBus } from '../bus/local-event-bus.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openPostgres } from '../db/postgres-database.js';
import { createEnvelope } from '../events/envelope.js';
import { Subjects } from '../events/subjects.js';
import { registry } from '../observability/metrics.js';
import { messagingMigrations } from './messaging-migrations.js';
import { RetentionSweep, defaultRetention } from './retention.js';

const opened: { db: Database; url: string }[] = [];
afterAll(async () => {
  for (const { db, url } of opened) {
    await db.close();
    await dropDatabase(url);
  }
});

async function database(prefix: string): Promise<Database> {
  const url = uniqueDatabaseUrl(prefix);
  const db = await openPostgres(url);
  opened.push({ db, url });
  return db;
}

/** A valid `user:created` event (consumers check payloads), each with a new user. */
const user = () =>
  createEnvelope(Subjects.UserCreated, { id: randomUUID(), name: 'Ada', version: 0 });

const count = async (db: Database, sql: string): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;

async function gauge(table: string, service: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('messaging_table_rows')?.get();
  return metric?.values.find((v) => v.labels.table === table && v.labels.service === service)
    ?.value;
}

describe.runIf(hasPostgres)('retention of the messaging tables', () => {
  it('when the outbox and inbox hold old and new rows, then a sweep deletes only finished rows past their retention, in batches, and reports the sizes', async () => {
    const db = await database('retention');
    await migrate(db, messagingMigrations);
    // 12,000 sent a day and more ago (more than two batches), 5 sent an hour ago, 3 never sent
    // though old (the relay's backlog: never deleted), 7,000 inbox rows from last month, 4 new.
    await db.query(
      `INSERT INTO outbox (id, subject, envelope, created_at, sent_at)
       SELECT 'old-' || g, 'ticket.created', '{}'::jsonb, now() - interval '30 hours',
              now() - interval '25 hours'
       FROM generate_series(1, 12000) g`,
    );
    await db.query(
      `INSERT INTO outbox (id, subject, envelope, sent_at)
       SELECT 'recent-' || g, 'ticket.created', '{}'::jsonb, now() - interval '1 hour'
       FROM generate_series(1, 5) g`,
    );
    await db.query(
      `INSERT INTO outbox (id, subject, envelope, created_at)
       SELECT 'unsent-' || g, 'ticket.created', '{}'::jsonb, now() - interval '40 hours'
       FROM generate_series(1, 3) g`,
    );
    await db.query(
      `INSERT INTO inbox (event_id, subject, handled_at)
       SELECT 'old-' || g, 'order.created', now() - interval '30 days' FROM generate_series(1, 7000) g`,
    );
    await db.query(
      `INSERT INTO inbox (event_id, subject) SELECT 'new-' || g, 'order.created'
       FROM generate_series(1, 4) g`,
    );

    const sweep = new RetentionSweep(db, 'retention-test', defaultRetention);
    expect(await sweep.sweep()).toEqual({ outbox: 12000, inbox: 7000 });

    expect(await count(db, 'outbox WHERE sent_at IS NULL')).toBe(3);
    expect(await count(db, 'outbox WHERE sent_at IS NOT NULL')).toBe(5);
    expect(await count(db, 'inbox')).toBe(4);
    expect(await gauge('outbox', 'retention-test')).toBe(8);
    expect(await gauge('inbox', 'retention-test')).toBe(4);
    // A second sweep finds nothing more.
    expect(await sweep.sweep()).toEqual({ outbox: 0, inbox: 0 });
  });

  it('when the local bus holds old messages, then a sweep deletes those every subscribed consumer finished, and keeps the rest', async () => {
    const db = await database('retention_bus');
    // The refused event is retried a minute later: it stays pending for the whole test.
    const bus = await LocalEventBus.open(db, { maxDeliveries: 100, backoffMs: [60_000] });
    try {
      const handled: string[] = [];
      const ids = {
        a: user(),
        b: user(),
        stuck: user(),
        // Nobody listens to this subject: nothing waits for it.
        unheard: createEnvelope(Subjects.OrderCreated, {} as never),
      };
      // Two consumers of one subject; the second refuses one event for ever (it stays pending).
      await bus.subscribe({
        consumer: 'first',
        subject: Subjects.UserCreated,
        handler: async (envelope) => void handled.push(`first ${envelope.id}`),
      });
      await bus.subscribe({
        consumer: 'second',
        subject: Subjects.UserCreated,
        handler: async (envelope) => {
          if (envelope.id === ids.stuck.id) throw new Error('not yet');
          handled.push(`second ${envelope.id}`);
        },
      });
      for (const envelope of Object.values(ids)) await bus.publish(envelope);
      // a, b, stuck by the first; a, b by the second
      await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(5);
      await db.query(`UPDATE bus_messages SET published_at = now() - interval '2 days'`);

      expect(await bus.sweep(24)).toBe(3); // a, b, unheard
      const { rows } = await db.query<{ id: string }>('SELECT id FROM bus_messages');
      expect(rows.map((r) => r.id)).toEqual([ids.stuck.id]);
      expect(await count(db, 'bus_deliveries')).toBe(1); // the first's ack of 'stuck'
      expect(await gauge('bus_messages', 'bus')).toBe(1);
      // A finished message younger than the retention stays.
      await bus.publish(user());
      await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(7);
      expect(await bus.sweep(24)).toBe(0);
    } finally {
      await bus.close();
    }
  });
});
