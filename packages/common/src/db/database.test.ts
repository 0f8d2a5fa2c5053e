import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestEmbeddedServer,
  type TestEmbeddedServer,
} from '../../../../test-support/embedded.js';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../../test-support/servers.js';
import { isUniqueViolation, type Database } from './database.js';
import { migrate, type Migration } from './migrate.js';
import { openPostgres } from './postgres-database.js';

const migrations: Migration[] = [
  {
    id: '002_items',
    sql: `CREATE TABLE items (id uuid PRIMARY KEY, name text NOT NULL, n bigint NOT NULL DEFAULT 0,
            doc jsonb, at timestamptz NOT NULL DEFAULT now());
          CREATE UNIQUE INDEX items_name_unique ON items (lower(name));`,
  },
  { id: '001_counter', sql: `CREATE TABLE counter (k text PRIMARY KEY, v int NOT NULL);` },
];

const postgresUrl = uniqueDatabaseUrl('db');
let embedded: TestEmbeddedServer | undefined;
// The same migrations and queries on the local PostgreSQL 15 server (distributed mode) and on
// the embedded mode's PostgreSQL 18 server.
const engines = [
  {
    engine: 'the embedded server',
    enabled: true,
    open: async () => openPostgres((embedded = await startTestEmbeddedServer()).urlFor('db')),
    drop: async () => embedded?.stop(),
  },
  {
    engine: 'the local PostgreSQL server',
    enabled: hasPostgres,
    open: () => openPostgres(postgresUrl),
    drop: () => dropDatabase(postgresUrl),
  },
];

describe.each(engines)('database on $engine', ({ enabled, open, drop }) => {
  let db: Database;
  beforeAll(async () => {
    if (enabled) db = await open();
  });
  afterAll(async () => {
    await db?.close();
    if (enabled) await drop();
  });

  it.runIf(enabled)('when migrations run twice, then each applies once, in id order', async () => {
    expect(await migrate(db, migrations)).toEqual(['001_counter', '002_items']);
    expect(await migrate(db, migrations)).toEqual([]);
    const { rows } = await db.query<{ id: string }>(
      'SELECT id FROM schema_migrations ORDER BY applied_at, id',
    );
    expect(rows.map((r) => r.id)).toEqual(['001_counter', '002_items']);
  });

  it.runIf(enabled)(
    'when a row is read back, then bigint is a number, jsonb an object, time a Date',
    async () => {
      const id = crypto.randomUUID();
      await db.query('INSERT INTO items (id, name, n, doc) VALUES ($1, $2, $3, $4::jsonb)', [
        id,
        'Alpha',
        9_007_199_254,
        JSON.stringify({ a: [1, 2] }),
      ]);
      const { rows, rowCount } = await db.query<{ n: number; doc: unknown; at: Date }>(
        'SELECT n, doc, at FROM items WHERE id = $1',
        [id],
      );
      expect(rowCount).toBe(1);
      expect(rows[0]).toEqual({ n: 9_007_199_254, doc: { a: [1, 2] }, at: expect.any(Date) });
    },
  );

  it.runIf(enabled)(
    'when a unique index is violated, then the error is recognised by its constraint',
    async () => {
      await db.query('INSERT INTO items (id, name) VALUES ($1, $2)', [crypto.randomUUID(), 'Beta']);
      const error = await db
        .query('INSERT INTO items (id, name) VALUES ($1, $2)', [crypto.randomUUID(), 'BETA'])
        .catch((e: unknown) => e);
      expect(isUniqueViolation(error, 'items_name_unique')).toBe(true);
      expect(isUniqueViolation(error, 'another_constraint')).toBe(false);
    },
  );

  it.runIf(enabled)(
    'when PostgreSQL refuses a statement, then its connection stays open for the next one',
    async () => {
      // Sequential statements reuse the pool's most recently released connection: the same
      // server process answers unless the refused statement closed the connection.
      const pid = async () =>
        (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const before = await pid();
      await db.query(`INSERT INTO counter (k, v) VALUES ('twice', 1)`);
      const refused = await db
        .query(`INSERT INTO counter (k, v) VALUES ('twice', 2)`)
        .catch((e: unknown) => e);
      expect((refused as { code?: string }).code).toBe('23505');
      await expect(db.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
      expect(await pid()).toBe(before);
    },
  );

  it.runIf(enabled)('when a transaction throws, then none of its writes remain', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO counter (k, v) VALUES ('rolled', 1)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rowCount } = await db.query(`SELECT 1 FROM counter WHERE k = 'rolled'`);
    expect(rowCount).toBe(0);
  });

  it.runIf(enabled)(
    'when transactions increment one row concurrently, then no update is lost',
    async () => {
      await db.query(`INSERT INTO counter (k, v) VALUES ('hits', 0)`);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction(async (tx) => {
            const { rows } = await tx.query<{ v: number }>(
              `SELECT v FROM counter WHERE k = 'hits' FOR UPDATE`,
            );
            await tx.query(`UPDATE counter SET v = $1 WHERE k = 'hits'`, [rows[0]!.v + 1]);
          }),
        ),
      );
      const { rows } = await db.query<{ v: number }>(`SELECT v FROM counter WHERE k = 'hits'`);
      expect(rows[0]!.v).toBe(20);
    },
  );

  it.runIf(enabled)('when pinged, then it answers', async () => {
    await expect(db.ping()).resolves.toBeUndefined();
  });
});
