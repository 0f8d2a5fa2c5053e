/**
 * Propagation lag and expiry lateness under load: while 64 connections reserve tickets, a seller
 * lists a ticket every ~0.5 s and a buyer orders it as soon as the orders service knows it (lag:
 * from sending the listing to the 201); each such order, with a short window, is then watched
 * until the expiration service has cancelled it (lateness: from `expiresAt` to seen cancelled).
 * Starts its own app with RESERVATION_WINDOW_SECONDS=5.
 */
import { cannon } from '../lib/cannon.js';
import { buyerTokens, listTickets, signUpSeller, untilOrdersKnows } from '../lib/app.js';
import { median, progress, sleep } from '../lib/measure.js';
import type { Sut } from '../lib/sut.js';
import type { Figure } from './figures.js';

export const LAG_WINDOW_SECONDS = 5;
const LOAD_SECONDS = 15;
const PROBES = 20;
/** Tickets for the background load: more than it can reserve in LOAD_SECONDS on this machine. */
const TICKETS = Number(process.env.BENCH_LAG_TICKETS ?? 2000);

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function lag(sut: Sut): Promise<Figure[]> {
  const mode = sut.mode;
  const cookie = await signUpSeller(sut);
  const background = await listTickets(sut, cookie, TICKETS);
  await untilOrdersKnows(sut, background.length);
  const tokens = await buyerTokens(background.length + PROBES);
  progress(`${mode}: ${LOAD_SECONDS} s of reservations with ${PROBES} listing probes …`);
  const load = cannon({
    url: sut.url,
    connections: 64,
    seconds: LOAD_SECONDS,
    requests: background.map((ticketId, i) => ({
      method: 'POST',
      path: '/api/orders',
      headers: { authorization: `Bearer ${tokens[i]}` },
      body: { ticketId },
    })),
  });
  await sleep(1_000);
  const lags: number[] = [];
  const orders: Array<{ id: string; expiresAt: number; token: string }> = [];
  const probes: Promise<void>[] = [];
  for (let i = 0; i < PROBES; i++) {
    const token = tokens[background.length + i]!;
    probes.push(
      (async () => {
        const sent = performance.now();
        const res = await fetch(`${sut.url}/api/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({
            title: `Probe ${i}`,
            price: 30,
            description: 'probe',
            venue: 'Bench Hall',
            startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          }),
        });
        const { id } = (await res.json()) as { id: string };
        for (;;) {
          const order = await fetch(`${sut.url}/api/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ ticketId: id }),
          });
          const body = (await order.json()) as { id: string; expiresAt: string };
          if (order.status === 201) {
            lags.push(performance.now() - sent);
            orders.push({ id: body.id, expiresAt: Date.parse(body.expiresAt), token });
            return;
          }
          if (order.status !== 404) throw new Error(`probe order answered ${order.status}`);
          await sleep(10);
        }
      })(),
    );
    await sleep(((LOAD_SECONDS - 6) * 1000) / PROBES);
  }
  await Promise.all(probes);
  const lateness: number[] = [];
  await Promise.all(
    orders.map(async (o) => {
      await sleep(Math.max(0, o.expiresAt - Date.now()));
      for (;;) {
        const res = await fetch(`${sut.url}/api/orders/${o.id}`, {
          headers: { authorization: `Bearer ${o.token}` },
        });
        const body = (await res.json()) as { status: string };
        if (body.status === 'cancelled') {
          lateness.push(Date.now() - o.expiresAt);
          return;
        }
        await sleep(25);
      }
    }),
  );
  const loadResult = await load;
  progress(
    `  background load ${loadResult.perSecond.toFixed(0)}/s ${JSON.stringify(loadResult.statuses)}`,
  );
  return [
    {
      mode,
      what: 'propagation lag under load (listing → orderable) p50 / p99',
      value: pct(lags, 99),
      unit: 'ms',
      detail: { p50: median(lags), p99: pct(lags, 99), samples: lags },
    },
    {
      mode,
      what: 'expiry lateness under load (expiresAt → cancelled) p50 / p99',
      value: pct(lateness, 99),
      unit: 'ms',
      detail: { p50: median(lateness), p99: pct(lateness, 99), samples: lateness },
    },
  ];
}
