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
    query: (sql, params) => pool.query(sql, params) as Promise<QueryResult<never>>,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client has no listener of the pool's: without ours, its connection dying
      // (a PostgreSQL restart) would be an unhandled 'error' event that ends the process.
      let broken: Error | undefined;
      const onError = (error: Error) => (broken ??= error);
      client.on('error', onError);
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
        await client.query('ROLLBACK').catch((failed: Error) => (broken ??= failed));
        throw error;
      } finally {
        client.off('error', onError);
        // A broken client is closed rather than handed to the next caller.
        client.release(broken);
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
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
