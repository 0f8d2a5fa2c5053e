import type { Queryable } from './database.js';

/**
 * The database server's clock (`now()`: the transaction's start time when `db` is a
 * transaction). Holds and payment deadlines are compared with it, never with this process's
 * clock, so replicas whose clocks disagree still agree on whether a hold has lapsed.
 */
export async function databaseNow(db: Queryable): Promise<Date> {
  const { rows } = await db.query<{ now: Date }>('SELECT now() AS now');
  return rows[0]!.now;
}
