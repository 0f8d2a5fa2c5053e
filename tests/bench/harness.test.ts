import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannon, count } from '../../bench/lib/cannon.js';
import { interleaved, medianRun, memory } from '../../bench/lib/measure.js';
import { startFloor } from '../../bench/lib/floor.js';
import type { Sut } from '../../bench/lib/sut.js';
import { table } from '../../bench/lib/table.js';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../test-support/servers.js';

/** The benchmark's own pieces, cheaply: a load run in its own process, medians, the table. */
describe('benchmark harness', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    // The first order of each ticket wins, like the app: 201 once, then 409.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { ticketId } = JSON.parse(body || '{}') as { ticketId?: string };
        const first = !seen.includes(ticketId ?? '');
        seen.push(ticketId ?? '');
        res.writeHead(first ? 201 : 409).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('when a run is given its requests, then autocannon sends each in turn and counts the answers by status', async () => {
    const result = await cannon({
      url,
      connections: 4,
      amount: 20,
      requests: ['a', 'b'].map((ticketId) => ({
        method: 'POST' as const,
        path: '/api/orders',
        body: { ticketId },
      })),
    });

    expect(result.requests).toBe(20);
    expect(count(result, 201)).toBe(2);
    expect(count(result, 409)).toBe(18);
    expect(new Set(seen)).toEqual(new Set(['a', 'b']));
    expect(result.perSecond).toBeGreaterThan(0);
  });

  it('when runs interleave, then app and floor alternate and the median run is reported', async () => {
    const order: string[] = [];
    const run = (side: string, perSecond: number) => async (i: number) => {
      order.push(`${side}${i}`);
      return {
        requests: 1,
        seconds: 1,
        perSecond: perSecond + i,
        p50: 1,
        p99: 2,
        max: 3,
        statuses: { '200': 1 },
      };
    };
    const { a, floor } = await interleaved('test', 3, run('a', 10), run('f', 20));

    expect(order).toEqual(['a0', 'f0', 'a1', 'f1', 'a2', 'f2']);
    expect(medianRun(a).perSecond).toBe(11);
    expect(medianRun(floor).statuses).toEqual({ '200': 3 });
  });

  it('when figures are printed, then each sits beside its floor with the ratio and the goal', async () => {
    const out = table([
      {
        mode: 'embedded',
        what: 'reservations req/s',
        value: 400,
        unit: 'req/s',
        floor: 800,
        ratio: 0.5,
        goal: '≥ 0.5× floor',
        met: true,
      },
    ]);
    expect(out).toContain(
      '| embedded | reservations req/s | 400 req/s | 800 req/s | 0.50 | ≥ 0.5× floor | met |',
    );
    expect((await memory([process.pid])).rssMb).toBeGreaterThan(0);
  });

  it.runIf(hasPostgres)(
    'when the floor server reserves seeded tickets, then each is reserved once: 201, then 409',
    async () => {
      const ordersDb = uniqueDatabaseUrl('bench_floor_orders');
      const ticketsDb = uniqueDatabaseUrl('bench_floor_tickets');
      const floor = await startFloor({
        db: { orders: ordersDb, tickets: ticketsDb },
      } as unknown as Sut);
      try {
        const ids = await floor.seed(3);
        const reserve = (ticketId: string, buyer: string) =>
          fetch(`${floor.url}/reserve`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ticketId, buyer }),
          }).then((r) => r.status);
        expect(await Promise.all(ids.map((id, i) => reserve(id, `buyer-${i}`)))).toEqual([
          201, 201, 201,
        ]);
        expect(await reserve(ids[0]!, 'late-buyer')).toBe(409);
      } finally {
        await floor.stop();
        await dropDatabase(ticketsDb);
      }
    },
    60_000,
  );
});
