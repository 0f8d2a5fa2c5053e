import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, type Topology } from '@ticketing/distributed';
import { ApiClient, eventually, type ApiResponse } from '../../test-support/http.js';
import { signedUpClient } from '../../test-support/journeys.js';
import { hasNats, hasPostgres, uniqueName } from '../../test-support/servers.js';
import { ticketBody } from '../../test-support/tickets.js';
import { removeTestTopology, startTestTopology } from '../../test-support/topology.js';

const PURCHASES = 16;
const PARALLEL = 4;

/** A user who retries what a dead or restarting service could not answer, as people do. */
async function persist(call: () => Promise<ApiResponse>, done: (r: ApiResponse) => boolean) {
  return eventually(
    () =>
      call().catch(() => ({ status: 0, body: undefined, headers: new Headers() }) as ApiResponse),
    (r) => r.status !== 0 && r.status !== 404 && r.status < 500 && done(r),
    120_000,
  );
}

interface Purchase {
  ticketId: string;
  buyer: ApiClient;
}

/** Every order of the buyer, page by page (GET /api/orders shows 50 by default, 100 at most). */
async function allOrders(buyer: ApiClient): Promise<any[]> {
  const all: ApiResponse['body'][] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await persist(
      () => buyer.get(`/api/orders?limit=100&offset=${offset}`),
      (r) => r.status === 200,
    );
    all.push(...page.body);
    if (page.body.length < 100) return all;
  }
}

/** List a ticket, order it, pay it; whatever answer a retry meets, find out what happened. */
async function purchase(seller: ApiClient, buyer: ApiClient, i: number): Promise<Purchase> {
  const listed = await persist(
    () => seller.post('/api/tickets', ticketBody({ title: `Chaos ${i}`, price: 10 + i })),
    (r) => r.status === 201,
  );
  const ticketId: string = listed.body.id;
  await persist(
    () => buyer.post('/api/orders', { ticketId }),
    (r) => r.status === 201 || r.status === 409,
  );
  // A 409 after a lost answer may be our own order: look it up instead of trusting the answer.
  const mine = await persist(
    () => buyer.get('/api/orders'),
    (r) => r.status === 200,
  );
  const order = mine.body.find((o: { ticket: { id: string } }) => o.ticket.id === ticketId);
  if (!order) return { ticketId, buyer };
  await persist(
    () => buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' }),
    (r) => r.status === 201 || r.status === 409,
  );
  return { ticketId, buyer };
}

describe.skipIf(!hasPostgres || !hasNats)('distributed mode under SIGKILL', () => {
  const prefix = uniqueName('chaos');
  let topology: Topology | undefined;

  beforeAll(async () => {
    topology = await startTestTopology(prefix, 1, {
      RESERVATION_WINDOW_SECONDS: '120',
      RECONCILE_INTERVAL_SECONDS: '2',
      // Buyers loop purchases for as long as the chaos lasts: the per-buyer caps are not tested here.
      ORDERS_PER_MINUTE_PER_USER: '1000',
      MAX_ACTIVE_ORDERS_PER_USER: '100',
    });
  }, 180_000);

  afterAll(() => removeTestTopology(topology, prefix), 60_000);

  it('when every service is killed once during a stream of purchases, then all services agree afterwards, nothing is sold twice and nobody is notified twice', async () => {
    const url = topology!.url;
    const seller = await signedUpClient(url, 'Seller');
    const buyers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => signedUpClient(url, `Buyer${i}`)),
    );

    // Each service dies by SIGKILL once and is started again…
    const killed: string[] = [];
    let chaosOver = false;
    const chaos = (async () => {
      for (const spec of SERVICES) {
        await new Promise((r) => setTimeout(r, 700));
        const [replica] = topology!.of(spec.name);
        await replica!.stop('SIGKILL');
        killed.push(spec.name);
        await new Promise((r) => setTimeout(r, 300));
        await replica!.start();
      }
      chaosOver = true;
    })();
    // …while buyers keep buying, one ticket after another, until the chaos is over.
    let next = 0;
    const results: Purchase[] = [];
    const stream = Promise.all(
      buyers.map(async (buyer) => {
        while (!chaosOver || next < PURCHASES) results.push(await purchase(seller, buyer, next++));
      }),
    );
    await Promise.all([stream, chaos]);
    expect(killed).toEqual(SERVICES.map((s) => s.name));
    expect(results.length).toBeGreaterThanOrEqual(PURCHASES);

    // Afterwards every order, ticket and charge agrees across the services.
    for (const { ticketId, buyer } of results) {
      await eventually(
        async () => {
          const ticket = (await seller.get(`/api/tickets/${ticketId}`)).body;
          const orders = (await allOrders(buyer)).filter(
            (o: { ticket: { id: string } }) => o.ticket.id === ticketId,
          );
          const charges = (
            await Promise.all(
              orders.map((o: { id: string }) => buyer.get(`/api/payments?orderId=${o.id}`)),
            )
          ).flatMap((r) => r.body);
          return { ticket, orders, charges };
        },
        ({ ticket, orders, charges }) => {
          const completed = orders.filter((o: { status: string }) => o.status === 'completed');
          const active = orders.filter(
            (o: { status: string }) => o.status === 'created' || o.status === 'awaiting_payment',
          );
          const kept = charges.filter(
            (c: { status: string; refundId: string | null }) =>
              c.status === 'completed' && !c.refundId,
          );
          const inFlight = charges.filter((c: { status: string }) => c.status === 'created');
          if (inFlight.length) return false;
          if (completed.length > 1) throw new Error(`ticket ${ticketId} sold twice`);
          if (completed.length === 1) {
            // Sold: the ticket says so, held by that order, paid by exactly one kept charge.
            return (
              ticket.status === 'sold' &&
              ticket.orderId === completed[0].id &&
              kept.length === 1 &&
              kept[0].orderId === completed[0].id
            );
          }
          // Not sold: no money kept, and the ticket is reserved only by a live order.
          if (kept.length) return false;
          if (active.length === 1)
            return ticket.status === 'reserved' && ticket.orderId === active[0].id;
          return ticket.status === 'available' && ticket.orderId === null;
        },
        90_000,
      );
    }
    // A user who kept retrying got what they paid for.
    const sold = await Promise.all(
      results.map(({ ticketId }) => seller.get(`/api/tickets/${ticketId}`)),
    );
    expect(sold.filter((r) => r.body.status === 'sold').length).toBe(results.length);

    // The notifications service (killed too) told the seller of each sale and each buyer of each
    // purchase exactly once, and nobody of anything twice.
    type Item = { kind: string; link: string | null };
    /** Every notification of the user, page by page (the seller's outnumber one page). */
    const inbox = async (client: ApiClient): Promise<Item[]> => {
      const all: Item[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await persist(
          () => client.get(`/api/notifications?limit=100&offset=${offset}`),
          (r) => r.status === 200,
        );
        all.push(...page.body.items);
        if (page.body.items.length < 100) return all;
      }
    };
    const count = (items: Item[], kind: string, link: string) =>
      items.filter((n) => n.kind === kind && n.link === link).length;
    for (const { ticketId, buyer } of results) {
      const paid = (await allOrders(buyer)).find(
        (o: { ticket: { id: string }; status: string }) =>
          o.ticket.id === ticketId && o.status === 'completed',
      );
      await eventually(
        async () => ({ sellers: await inbox(seller), buyers: await inbox(buyer) }),
        ({ sellers, buyers }) =>
          count(sellers, 'sale', `/tickets/${ticketId}`) === 1 &&
          count(buyers, 'purchase', `/orders/${paid.id}`) === 1,
        60_000,
      );
    }
    for (const client of [seller, ...buyers]) {
      const keys = (await inbox(client)).map((n) => `${n.kind} ${n.link}`);
      expect(new Set(keys).size, 'a notification twice').toBe(keys.length);
    }
  }, 400_000);
});
