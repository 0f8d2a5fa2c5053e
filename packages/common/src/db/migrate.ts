import type { Database } from './database.js';

/** One schema change. Ids sort in the order they apply; a migration is never edited once shipped. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Applies, in id order, each migration not applied yet, each in its own transaction with its
 * bookkeeping row. An advisory lock keeps two replicas starting together from racing.
 * The SQL must be accepted by both PostgreSQL 15 (the servers here) and 18 (the embedded mode).
 */
export async function migrate(db: Database, migrations: Migration[]): Promise<string[]> {
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7401)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.id));
    const done: string[] = [];
    for (const m of sorted) {
      if (applied.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      done.push(m.id);
    }
    return done;
  });
}
