import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, QueryResult, Queryable } from './database.js';

/**
 * Embedded PostgreSQL (PGlite, WASM) in a data folder, or in memory when `dataDir` is omitted.
 * PGlite has a single connection: its transactions queue behind each other, which is the
 * isolation the services need, and a query must use the `tx` handle inside a transaction.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, {
    // Match `pg`: BIGINT as a number rather than a JS bigint.
    parsers: { [types.INT8]: (v: string) => Number(v) },
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const result = await q.query<R>(sql, params);
      // PGlite counts only written rows; pg counts selected ones too. Report what pg does.
      return {
        rows: result.rows,
        rowCount: Math.max(result.affectedRows ?? 0, result.rows.length),
      };
    },
  });
  return {
    engine: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
