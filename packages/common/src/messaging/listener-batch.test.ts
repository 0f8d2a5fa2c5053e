import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../../test-support/servers.js';
import { LocalEventBus } from '../bus/local-event-bus.js';
import type { Database, Queryable } from '../db/database.js';
import { openPostgres } from '../db/postgres-database.js';
import { createEnvelope, type EventEnvelope } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import { Subjects } from '../events/subjects.js';
import { ServiceRuntime } from '../service/service-runtime.js';
import { fixtureMigrations } from './fixtures/fixture-migrations.js';
import { Listener } from './listener.js';

/** Records each user name once per event; a name in `failures` fails that many times first. */
class NamesListener extends Listener<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;
  readonly failures = new Map<string, number>();
  async onMessage(data: EventData<typeof Subjects.UserCreated>, tx: Queryable) {
    await tx.query('INSERT INTO names_seen (user_id, name) VALUES ($1, $2)', [data.id, data.name]);
    const left = this.failures.get(data.name) ?? 0;
    if (left > 0) {
      this.failures.set(data.name, left - 1);
      throw new Error(`${data.name} fails`);
    }
  }
}

const userCreated = (i: number, name = `User ${i}`) =>
  createEnvelope(Subjects.UserCreated, { id: `u${i}`, name, version: 0 });

describe.runIf(hasPostgres)('a listener handed a backlog by the local bus', () => {
  const toClean: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const clean of toClean.reverse()) await clean();
  });

  /** A service database and a bus with `events` already waiting in its log. */
  async function backlogOf(events: EventEnvelope[]) {
    const serviceUrl = uniqueDatabaseUrl('batch');
    const busUrl = uniqueDatabaseUrl('batch_bus');
    const db = await openPostgres(serviceUrl);
    const busDb = await openPostgres(busUrl);
    const bus = await LocalEventBus.open(busDb);
    const runtime = await ServiceRuntime.create('svc', { db, bus }, fixtureMigrations);
    toClean.push(
      () => dropDatabase(serviceUrl),
      () => dropDatabase(busUrl),
    );
    toClean.push(
      () => db.close(),
      () => busDb.close(),
      () => bus.close(),
    );
    for (const event of events) await bus.publish(event);
    let transactions = 0;
    const counted: Database = {
      ...runtime.db,
      transaction: (fn) => {
        transactions += 1;
        return runtime.db.transaction(fn);
      },
    };
    const acks = new Map<string, number>();
    const allAcked = new Promise<void>((resolve) =>
      bus.on('acked', ({ envelope, deliveryCount }) => {
        acks.set(envelope.id, deliveryCount);
        if (acks.size === events.length) resolve();
      }),
    );
    return { db, bus, counted, acks, allAcked, transactions: () => transactions };
  }

  const namesSeen = async (db: Database) =>
    (
      await db.query<{ name: string; n: number }>(
        'SELECT name, count(*)::int AS n FROM names_seen GROUP BY name ORDER BY name',
      )
    ).rows;

  it('when 40 events wait, then they are handled once each in one transaction, not 40', async () => {
    const events = Array.from({ length: 40 }, (_, i) => userCreated(i));
    const { db, bus, counted, allAcked, transactions } = await backlogOf(events);
    await new NamesListener(counted, 'names').listen(bus);
    await allAcked;
    const seen = await namesSeen(db);
    expect(seen).toHaveLength(40);
    expect(seen.every((row) => row.n === 1)).toBe(true);
    expect(transactions()).toBe(1);
  });

  it('when one event of a batch fails, then the others are handled at once and only it is retried', async () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      userCreated(i, i === 4 ? 'Bad' : `User ${i}`),
    );
    const { db, bus, counted, acks, allAcked } = await backlogOf(events);
    const listener = new NamesListener(counted, 'names');
    // Fails in the batch, then alone: the bus retries it later, the others are done by then.
    listener.failures.set('Bad', 2);
    await listener.listen(bus);
    await allAcked;
    // The failed one's write rolled back with its delivery: every name is there once.
    const seen = await namesSeen(db);
    expect(seen).toHaveLength(10);
    expect(seen.every((row) => row.n === 1)).toBe(true);
    expect(acks.get(events[4]!.id)).toBe(2);
    expect(events.filter((_, i) => i !== 4).map((e) => acks.get(e.id))).toEqual(Array(9).fill(1));
  });

  it('when a batch holds an event already handled, then its effect is not repeated', async () => {
    const events = Array.from({ length: 5 }, (_, i) => userCreated(i));
    const { db, bus, counted, allAcked } = await backlogOf(events);
    const listener = new NamesListener(counted, 'names');
    await listener.handle(events[2]!); // handled before the bus hands the backlog over
    await listener.listen(bus);
    await allAcked;
    const seen = await namesSeen(db);
    expect(seen).toHaveLength(5);
    expect(seen.every((row) => row.n === 1)).toBe(true);
  });
});
