/**
 * Reservations at 64 connections, each request a different buyer and ticket, against the floor
 * (createOrder's SQL behind bare express), interleaved; after each app burst, the time until
 * every service has caught up, and the transactions (and statements) it cost per order. RSS:
 * peak during the bursts and after them (≥ 5,000 orders by default).
 */
import { cannon, count, type CannonResult } from '../lib/cannon.js';
import {
  buyerTokens,
  counters,
  listTickets,
  signUpSeller,
  untilCaughtUp,
  untilOrdersKnows,
} from '../lib/app.js';
import type { Floor } from '../lib/floor.js';
import {
  interleaved,
  median,
  medianRun,
  memory,
  peakSampler,
  progress,
  sleep,
} from '../lib/measure.js';
import type { Sut } from '../lib/sut.js';
import { latency, throughput, type Figure } from './figures.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1700);
const RUNS = 3;
const CONNECTIONS = 64;

export async function reservations(sut: Sut, floor: Floor): Promise<Figure[]> {
  const mode = sut.mode;
  progress(`${mode}: listing ${RUNS * ORDERS} tickets for the reservations …`);
  const cookie = await signUpSeller(sut);
  const tickets = await listTickets(sut, cookie, RUNS * ORDERS);
  await untilOrdersKnows(sut, tickets.length);
  await untilCaughtUp(sut);
  const floorTickets = await floor.seed(RUNS * ORDERS);
  const tokens = await buyerTokens(RUNS * ORDERS);

  const catchUp: number[] = [];
  const txPerOrder: number[] = [];
  const stPerOrder: number[] = [];
  const peak = peakSampler(() => sut.pids());
  const slice = <T>(list: T[], run: number) => list.slice(run * ORDERS, (run + 1) * ORDERS);
  const { a, floor: f } = await interleaved<CannonResult>(
    `${mode} reservations`,
    RUNS,
    async (run) => {
      const before = await counters(sut);
      const ids = slice(tickets, run);
      const who = slice(tokens, run);
      const r = await cannon({
        url: sut.url,
        connections: CONNECTIONS,
        amount: ORDERS,
        requests: ids.map((ticketId, i) => ({
          method: 'POST',
          path: '/api/orders',
          headers: { authorization: `Bearer ${who[i]}` },
          body: { ticketId },
        })),
      });
      const caught = await untilCaughtUp(sut);
      catchUp.push(caught.ms);
      const after = await counters(sut);
      const created = Math.max(1, count(r, 201));
      txPerOrder.push((after.transactions - before.transactions - caught.queries) / created);
      const perDb = Object.entries(after.byDatabase)
        .map(([db, n]) => `${db} ${((n - (before.byDatabase[db] ?? 0)) / created).toFixed(1)}`)
        .join(', ');
      progress(`  transactions per order by database (catch-up polls included): ${perDb}`);
      if (after.statements !== null && before.statements !== null)
        stPerOrder.push((after.statements - before.statements - caught.queries) / created);
      progress(
        `  app ${r.perSecond.toFixed(0)}/s p99 ${r.p99} ms max ${r.max} ms ${JSON.stringify(r.statuses)}; caught up ${caught.ms.toFixed(0)} ms later`,
      );
      return r;
    },
    async (run) => {
      const ids = slice(floorTickets, run);
      const r = await cannon({
        url: floor.url,
        connections: CONNECTIONS,
        amount: ORDERS,
        requests: ids.map((ticketId, i) => ({
          method: 'POST',
          path: '/reserve',
          body: { ticketId, buyer: `floor-buyer-${run}-${i}` },
        })),
      });
      progress(`  floor ${r.perSecond.toFixed(0)}/s p99 ${r.p99} ms ${JSON.stringify(r.statuses)}`);
      return r;
    },
  );
  const peakMemory = await peak.stop();
  await sleep(3_000);
  const afterOrders = await memory(await sut.pids());
  const app = medianRun(a);
  const fl = medianRun(f);
  const bad = Object.entries(app.statuses).filter(([s]) => s !== '201');
  const figures: Figure[] = [
    throughput(mode, 'reservations, 64 connections', app, fl, 0.5),
    latency(mode, 'reservations', app, fl, mode === 'embedded' ? 500 : undefined),
    {
      mode,
      what: 'reservations, slowest request',
      value: app.max,
      unit: 'ms',
      floor: fl.max,
      ...(mode === 'embedded' ? { goal: '≤ 2000 ms', met: app.max <= 2000 } : {}),
    },
    {
      mode,
      what: 'reservations, answers other than 201 (3 runs)',
      value: bad.reduce((n, [, v]) => n + v, 0),
      unit: 'answers',
      goal: 'none (no 502)',
      met: bad.length === 0,
      detail: app.statuses,
    },
    {
      mode,
      what: 'catch-up after each burst (median)',
      value: median(catchUp),
      unit: 'ms',
      detail: catchUp,
    },
    {
      mode,
      what: 'transactions per order, all services',
      value: median(txPerOrder),
      unit: 'tx',
      goal: '≤ 8',
      met: median(txPerOrder) <= 8,
      detail: txPerOrder,
    },
  ];
  if (stPerOrder.length)
    figures.push({
      mode,
      what: 'statements per order, all services',
      value: median(stPerOrder),
      unit: 'statements',
    });
  const total = RUNS * ORDERS;
  figures.push(
    {
      mode,
      what: 'memory peak during the bursts (PSS, all processes)',
      value: peakMemory?.pssMb ?? 0,
      unit: 'MB',
      ...(mode === 'embedded' ? { goal: '≤ 800 MB', met: (peakMemory?.pssMb ?? 0) <= 800 } : {}),
      detail: peakMemory,
    },
    {
      mode,
      what: `memory after ${total} orders (PSS, all processes)`,
      value: afterOrders.pssMb,
      unit: 'MB',
      detail: afterOrders,
    },
  );
  return figures;
}
