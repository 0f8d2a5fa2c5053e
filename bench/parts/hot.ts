/** 1,000 buyers on one ticket at once, one connection each: exactly one must win. */
import { cannon, count } from '../lib/cannon.js';
import { buyerTokens, listTickets, signUpSeller, sql } from '../lib/app.js';
import type { Floor } from '../lib/floor.js';
import { progress } from '../lib/measure.js';
import type { Sut } from '../lib/sut.js';
import type { Figure } from './figures.js';

const BUYERS = Number(process.env.BENCH_HOT_BUYERS ?? 1000);

export async function hot(sut: Sut, floor: Floor): Promise<Figure[]> {
  const mode = sut.mode;
  const cookie = await signUpSeller(sut);
  const [ticket] = await listTickets(sut, cookie, 1);
  const tokens = await buyerTokens(BUYERS);
  progress(`${mode}: ${BUYERS} buyers on one ticket …`);
  await untilTicketKnown(sut, ticket!);
  const r = await cannon({
    url: sut.url,
    connections: BUYERS,
    amount: BUYERS,
    requests: tokens.map((t) => ({
      method: 'POST',
      path: '/api/orders',
      headers: { authorization: `Bearer ${t}` },
      body: { ticketId: ticket },
    })),
  });
  const [floorTicket] = await floor.seed(1);
  const f = await cannon({
    url: floor.url,
    connections: BUYERS,
    amount: BUYERS,
    requests: tokens.map((_, i) => ({
      method: 'POST',
      path: '/reserve',
      body: { ticketId: floorTicket, buyer: `hot-floor-${i}` },
    })),
  });
  progress(
    `  app ${r.seconds}s p99 ${r.p99} ms ${JSON.stringify(r.statuses)}; floor ${f.seconds}s p99 ${f.p99} ms`,
  );
  const winners = count(r, 201);
  return [
    {
      mode,
      what: `${BUYERS} buyers on one ticket: winners`,
      value: winners,
      unit: 'winners',
      floor: count(f, 201),
      goal: 'exactly 1, the rest 409',
      met: winners === 1 && count(r, 409) === BUYERS - 1,
      detail: { app: r.statuses, floor: f.statuses },
    },
    {
      mode,
      what: `${BUYERS} buyers on one ticket: total time`,
      value: r.seconds * 1000,
      unit: 'ms',
      floor: f.seconds * 1000,
      ratio: f.seconds / r.seconds,
      goal: '≤ 0.6 × 1.78 s (the first release, distributed)',
      met: r.seconds <= 0.6 * 1.78,
    },
    {
      mode,
      what: `${BUYERS} buyers on one ticket: p99`,
      value: r.p99,
      unit: 'ms',
      floor: f.p99,
      ratio: f.p99 / r.p99,
      goal: '≤ 1000 ms',
      met: r.p99 <= 1000,
    },
  ];
}

/** The orders service knows the ticket once ordering it stops answering 404. */
async function untilTicketKnown(sut: Sut, ticketId: string): Promise<void> {
  for (;;) {
    const rows = await sql(sut.db.orders, 'SELECT 1 FROM tickets WHERE id = $1', [ticketId]);
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
