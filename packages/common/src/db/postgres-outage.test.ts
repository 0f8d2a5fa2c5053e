import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ownServersAvailable,
  startOwnPostgres,
  type OwnServer,
} from '../../../../test-support/own-servers.js';
import { createHttpApp, listen, type RunningServer } from '../http/create-app.js';
import type { Database } from './database.js';
import { openPostgres } from './postgres-database.js';

/*
 * A PostgreSQL of this test's own (never the shared one), stopped with `pg_ctl stop -m immediate`
 * as a crash or a failover would, and started again.
 */
describe.skipIf(!ownServersAvailable())('PostgreSQL going away under a service', () => {
  let pg: OwnServer;
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    pg = await startOwnPostgres();
    db = await openPostgres(`${pg.url}/outage`);
    await db.exec('CREATE TABLE things (id int PRIMARY KEY)');
    const router = Router();
    router.get('/api/things', async (_req, res) => {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM things');
      res.json(rows[0]);
    });
    server = await listen(
      createHttpApp({
        routers: [router],
        jwtKey: 'test-key-that-is-long-enough-for-hs256-0123456789',
        readinessChecks: { database: () => db.ping() },
      }),
      0,
      '127.0.0.1',
    );
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await db?.close().catch(() => undefined);
    await pg?.remove();
  });

  it('when PostgreSQL stops while a transaction holds a client, then the transaction fails, the process lives on, and work resumes once it is back', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT INTO things (id) VALUES (1)');
      inside();
      await held; // the client stays checked out while the server goes away
      await tx.query('INSERT INTO things (id) VALUES (2)');
    });
    const outcome = transaction.then(
      () => 'committed',
      () => 'failed',
    );
    await started;
    await pg.kill();
    // Give the dying connection time to report its error while the client is checked out.
    await new Promise((r) => setTimeout(r, 500));
    release();
    expect(await outcome).toBe('failed');

    await pg.start();
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO things (id) VALUES (3)');
    });
    const { rows } = await db.query<{ id: number }>('SELECT id FROM things ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([3]);
  }, 60_000);

  it('when the database is down, then the API answers 503 with Retry-After and /readyz is not ready, and 200 once it is back', async () => {
    expect((await fetch(`${server.url}/api/things`)).status).toBe(200);
    await pg.kill();
    try {
      const res = await fetch(`${server.url}/api/things`);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toEqual({
        errors: [{ message: expect.stringMatching(/unavailable/) }],
      });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not ready' });
    } finally {
      await pg.start();
    }
    expect((await fetch(`${server.url}/api/things`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 60_000);
});
