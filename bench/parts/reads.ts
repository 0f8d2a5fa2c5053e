/**
 * Reads against their floors: list and show through the app's API vs the same SQL behind bare
 * express; the server-rendered home and ticket pages vs the API call each makes.
 */
import { cannon, type CannonResult } from '../lib/cannon.js';
import { listTickets, signUpSeller, untilOrdersKnows } from '../lib/app.js';
import type { Floor } from '../lib/floor.js';
import { interleaved, medianRun } from '../lib/measure.js';
import type { Sut } from '../lib/sut.js';
import { latency, throughput, type Figure } from './figures.js';

const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 4);
const RUNS = 3;

async function versus(
  mode: string,
  what: string,
  connections: number,
  app: { url: string; path: string },
  floor: { url: string; path: string },
  goalRatio: number,
): Promise<Figure[]> {
  const run = (target: { url: string; path: string }) => () =>
    cannon({ url: target.url, connections, seconds: SECONDS, requests: [{ path: target.path }] });
  const { a, floor: f } = await interleaved<CannonResult>(
    `${mode} ${what}`,
    RUNS,
    run(app),
    run(floor),
  );
  const am = medianRun(a);
  const fm = medianRun(f);
  const errors = Object.entries(am.statuses).filter(([s]) => s !== '200');
  if (errors.length) throw new Error(`${mode} ${what}: answers ${JSON.stringify(am.statuses)}`);
  return [throughput(mode, what, am, fm, goalRatio), latency(mode, what, am, fm)];
}

/** Enough tickets for a full page; returns one ticket's id. */
async function someTickets(sut: Sut): Promise<string> {
  const cookie = await signUpSeller(sut);
  const ids = await listTickets(sut, cookie, 50);
  await untilOrdersKnows(sut, 50);
  return ids[0]!;
}

export async function reads(sut: Sut, floor: Floor): Promise<Figure[]> {
  const id = await someTickets(sut);
  return [
    ...(await versus(
      sut.mode,
      'list tickets',
      32,
      { url: sut.url, path: '/api/tickets' },
      { url: floor.url, path: '/tickets' },
      0.6,
    )),
    ...(await versus(
      sut.mode,
      'show a ticket',
      32,
      { url: sut.url, path: `/api/tickets/${id}` },
      { url: floor.url, path: `/tickets/${id}` },
      0.6,
    )),
  ];
}

export async function ssr(sut: Sut): Promise<Figure[]> {
  const id = await someTickets(sut);
  // The floor of a page is the API call it makes, through the same app.
  return [
    ...(await versus(
      sut.mode,
      'server-rendered home',
      16,
      { url: sut.url, path: '/' },
      { url: sut.url, path: '/api/tickets?limit=13&offset=0' },
      0.3,
    )),
    ...(await versus(
      sut.mode,
      'server-rendered ticket page',
      16,
      { url: sut.url, path: `/tickets/${id}` },
      { url: sut.url, path: `/api/tickets/${id}` },
      0.3,
    )),
  ];
}
