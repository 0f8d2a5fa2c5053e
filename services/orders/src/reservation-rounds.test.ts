import { randomUUID } from 'node:crypto';
import type { Database } from '@ticketing/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTicket, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { createOrder, orderRounds } from './domain/create-order.js';
import { ReservationRounds, type Turn } from './domain/reservation-rounds.js';

describe('Reservation rounds (one read for the orders of one ticket arriving together)', () => {
  /** Rounds over a read that counts, answering `read <n>`; turns record what they saw. */
  const counted = () => {
    let reads = 0;
    const rounds = new ReservationRounds<string, string>(async () => `read ${++reads}`);
    const seen: string[] = [];
    const turn =
      (name: string, after?: string): Turn<string, string> =>
      async (view) => {
        seen.push(`${name} saw ${view}`);
        return { answer: { value: name }, view: after ?? view };
      };
    return { rounds, seen, turn, reads: () => reads };
  };

  it('when orders arrive during a round, then they share the next read, after their arrival', async () => {
    const { rounds, seen, turn, reads } = counted();
    const first = rounds.run('t', turn('a'));
    const rest = ['b', 'c', 'd'].map((name) => rounds.run('t', turn(name)));

    expect(await Promise.all([first, ...rest])).toEqual(['a', 'b', 'c', 'd']);
    expect(seen).toEqual(['a saw read 1', 'b saw read 2', 'c saw read 2', 'd saw read 2']);
    expect(reads()).toBe(2);
  });

  it('when a turn writes, then the turns after it see the view it left', async () => {
    const { rounds, seen, turn } = counted();
    await rounds.run('t', turn('a'));
    const first = rounds.run('t', turn('b'));
    const rest = [rounds.run('t', turn('c', 'held by c')), rounds.run('t', turn('d'))];
    await Promise.all([first, ...rest]);

    expect(seen.slice(1)).toEqual(['b saw read 2', 'c saw read 3', 'd saw held by c']);
  });

  it('when a turn throws or cannot tell the view, then it answers alone and the next reads again', async () => {
    const { rounds, seen, turn } = counted();
    const failing: Turn<string, string> = async () => {
      throw new Error('boom');
    };
    const unknown: Turn<string, string> = async () => ({ answer: { value: 'x' }, view: undefined });
    const results = await Promise.allSettled([
      rounds.run('t', turn('a')),
      rounds.run('t', failing),
      rounds.run('t', turn('b')),
      rounds.run('t', unknown),
      rounds.run('t', turn('c')),
    ]);

    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      'a',
      'Error: boom',
      'b',
      'x',
      'c',
    ]);
    expect(seen).toEqual(['a saw read 1', 'b saw read 3', 'c saw read 4']);
  });

  it('when the read fails, then that round answers its error and the next round reads again', async () => {
    let reads = 0;
    const rounds = new ReservationRounds<string, string>(async () => {
      if (++reads === 1) throw new Error('database away');
      return 'fine';
    });
    const echo: Turn<string, string> = async (view) => ({ answer: { value: view }, view });
    const failed = rounds.run('t', echo);
    await expect(failed).rejects.toThrow('database away');
    await expect(rounds.run('t', echo)).resolves.toBe('fine');
  });

  it('when keys differ, then their rounds do not wait for each other', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const rounds = new ReservationRounds<string, string>(async (key) => {
      if (key === 'slow') await gate;
      return key;
    });
    const echo: Turn<string, string> = async (view) => ({ answer: { value: view }, view });
    const slow = rounds.run('slow', echo);
    await expect(rounds.run('fast', echo)).resolves.toBe('fast');
    release();
    await expect(slow).resolves.toBe('slow');
  });
});

describe.skipIf(!hasPostgres)('createOrder with rounds (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  beforeAll(async () => {
    orders = await startOrders('orders_rounds');
  });
  afterAll(async () => orders?.stop());

  /** `db` with a count of the statements sent through it (each query, and each transaction). */
  const counting = (db: Database) => {
    let statements = 0;
    const counted: Database = {
      ...db,
      query: (sql, params) => {
        statements++;
        return db.query(sql, params);
      },
      transaction: (fn) => {
        statements++;
        return db.transaction(fn);
      },
    };
    return { db: counted, statements: () => statements };
  };

  it('when 200 buyers order one ticket together, then one wins, 199 hear "reserved", in 3 statements', async () => {
    const ticket = await listTicket(orders);
    const { db, statements } = counting(orders.db);
    const rounds = orderRounds(db);
    const options = { windowSeconds: 900, maxUnpaid: 5, rounds };

    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        createOrder(db, randomUUID(), { ticketId: ticket.id }, options),
      ),
    );

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as Error).message)).toEqual(
      Array(199).fill('Ticket is already reserved'),
    );
    // The first buyer's read and insert; one read shared by the other 199.
    expect(statements()).toBe(3);
    const { rows } = await orders.db.query(
      `SELECT 1 FROM orders WHERE ticket_id = $1 AND status <> 'cancelled'`,
      [ticket.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('when buyers order one ticket without rounds, then each reads on its own', async () => {
    const ticket = await listTicket(orders);
    const { db, statements } = counting(orders.db);
    const options = { windowSeconds: 900, maxUnpaid: 5 };

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        createOrder(db, randomUUID(), { ticketId: ticket.id }, options),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(statements()).toBeGreaterThanOrEqual(21);
  });
});
