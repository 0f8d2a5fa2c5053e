import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Sut } from './sut.js';

const script = fileURLToPath(new URL('../floor-server.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface Floor {
  url: string;
  /** Tickets of the floor's own database, for its reservations. */
  seed(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts the floor server for `sut`: its own process, its own database on the same PostgreSQL
 * server as the app (dropped on stop), reads on the app's tickets database.
 */
export async function startFloor(sut: Sut): Promise<Floor> {
  const floorDb = new URL(sut.db.orders);
  floorDb.pathname = `/bench_floor_${process.pid}_${Date.now()}`;
  const child = spawn(tsx, [script], {
    env: { ...process.env, FLOOR_DB: floorDb.toString(), READ_DB: sut.db.tickets, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => {
      throw new Error('the floor server exited while starting');
    }),
  ])) as [Buffer];
  const port = /listening (\d+)/.exec(line.toString())?.[1];
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async seed(count) {
      const res = await fetch(`${url}/seed`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count }),
      });
      return (await res.json()) as string[];
    },
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      const admin = new URL(floorDb);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${floorDb.pathname.slice(1)}" WITH (FORCE)`);
      await client.end();
    },
  };
}
