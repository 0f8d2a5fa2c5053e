import pg from 'pg';
import type { Database, QueryResult, Queryable } from './database.js';

// BIGINT (int8) arrives as a string by default; our counters stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Opens a pool on `url`, creating the database first when it does not exist yet, so each
 * service can own its database on a shared server without a manual setup step.
 */
export async function openPostgres(
  url: string,
  options: { poolSize?: number } = {},
): Promise<Database> {
  await createDatabaseIfMissing(url);
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    query: <R>(sql: string, params?: unknown[]) => queryOnPool<R>(pool, sql, params),
    async exec(sql) {
      await queryOnPool(pool, sql);
    },
    transaction: (fn) =>
      withClient(pool, async (client, markBroken) => {
        try {
          await client.query('BEGIN');
          const tx: Queryable = {
            query: async <R>(sql: string, params?: unknown[]) =>
              (await client.query(sql, params)) as unknown as QueryResult<R>,
            exec: async (sql: string) => {
              await client.query(sql);
            },
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(markBroken);
          throw error;
        }
      }),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * One statement on a pooled connection. Not `pool.query`: pg-pool closes the connection after
 * *any* error of the statement (`client.release(err)`), so every refused statement — a unique
 * violation, which is how a lost reservation race ends — cost a new server process, its fork and
 * authentication. A statement PostgreSQL refused leaves its connection usable, and it goes back
 * to the pool; only a broken connection (a network error, or the server ending the session) is
 * closed.
 */
async function queryOnPool<R>(
  pool: pg.Pool,
  sql: string,
  params?: unknown[],
): Promise<QueryResult<R>> {
  return withClient(pool, async (client, markBroken) => {
    try {
      return (await client.query(sql, params)) as unknown as QueryResult<R>;
    } catch (error) {
      if (!isStatementError(error)) markBroken(error as Error);
      throw error;
    }
  });
}

/**
 * Runs `use` on a client checked out of `pool`, then gives it back — or closes it when
 * `markBroken` was called or the connection failed meanwhile. A checked-out client has no listener
 * of the pool's: without ours, its connection dying (a PostgreSQL restart) would be an unhandled
 * 'error' event that ends the process.
 */
async function withClient<T>(
  pool: pg.Pool,
  use: (client: pg.PoolClient, markBroken: (error: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const markBroken = (error: Error) => {
    broken ??= error;
  };
  client.on('error', markBroken);
  try {
    return await use(client, markBroken);
  } finally {
    client.off('error', markBroken);
    client.release(broken);
  }
}

/**
 * Whether `error` is PostgreSQL refusing one statement while the session goes on: a
 * `DatabaseError` of severity ERROR. FATAL and PANIC end the session, and SQLSTATE classes 08
 * (connection exception) and 57 (operator intervention, e.g. `57P01 admin_shutdown`) mean the
 * connection is going away (PostgreSQL documentation, Appendix A, "PostgreSQL Error Codes").
 */
function isStatementError(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return false;
  const severity = error.severity ?? 'ERROR';
  const sqlClass = error.code?.slice(0, 2);
  return severity === 'ERROR' && sqlClass !== '08' && sqlClass !== '57';
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('DATABASE_URL must name a database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client
        .query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`)
        .catch((error: unknown) => {
          // Two processes starting together may both try; one of them wins.
          if ((error as { code?: string }).code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
}
