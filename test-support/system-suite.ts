import { expect, it } from 'vitest';
import { eventually, type ApiClient } from './http.js';
import { signedUpClient } from './journeys.js';
import { ticketBody } from './tickets.js';

/** The reservation window the system under test runs with (RESERVATION_WINDOW_SECONDS). */
export const SYSTEM_WINDOW_SECONDS = 12;

/** Lists a ticket and waits until the buyer can order it (replicas catch up in milliseconds). */
async function listAndOrder(
  seller: ApiClient,
  buyer: ApiClient,
  title: string,
  price = 42,
  startsAt?: string,
) {
  const ticket = await seller.post(
    '/api/tickets',
    ticketBody({ title, price, ...(startsAt ? { startsAt } : {}) }),
  );
  expect(ticket.status).toBe(201);
  const order = await eventually(
    () => buyer.post('/api/orders', { ticketId: ticket.body.id }),
    (r) => r.status !== 404,
  );
  expect(order.status).toBe(201);
  return { ticket: ticket.body, order: order.body };
}

/** Pays, retrying while the payments replica has not seen the order yet (404). */
const pay = (buyer: ApiClient, orderId: string, token: string) =>
  eventually(
    () => buyer.post('/api/payments', { orderId, token }),
    (r) => r.status !== 404,
  );

/**
 * The black-box system suite: HTTP only, the same for the embedded and the distributed mode.
 * `base()` is the URL of the system under test, which must run with a reservation window of
 * SYSTEM_WINDOW_SECONDS.
 */
export function systemSuite(base: () => string): void {
  it('when a buyer is declined and then pays, then the order completes and the ticket is sold', async () => {
    const seller = await signedUpClient(base(), 'Seller');
    const buyer = await signedUpClient(base(), 'Buyer');
    const other = await signedUpClient(base(), 'Other');
    const { ticket, order } = await listAndOrder(seller, buyer, 'Opera night', 80.5);

    const listed = await other.get(`/api/tickets?q=${encodeURIComponent('opera night')}`);
    expect(listed.status).toBe(200);

    const declined = await pay(buyer, order.id, 'tok_chargeDeclined');
    expect(declined.status).toBe(402);
    const paid = await buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      orderId: order.id,
      status: 'completed',
      amount: 80.5,
      refundId: null,
    });

    const charges = await buyer.get(`/api/payments?orderId=${order.id}`);
    expect(charges.body.map((c: { status: string }) => c.status).sort()).toEqual([
      'completed',
      'failed',
    ]);

    const completed = await eventually(
      () => buyer.get(`/api/orders/${order.id}`),
      (r) => r.body.status === 'completed',
    );
    expect(completed.body.ticket).toMatchObject({
      id: ticket.id,
      title: 'Opera night',
      price: 80.5,
    });
    const sold = await eventually(
      () => seller.get(`/api/tickets/${ticket.id}`),
      (r) => r.body.status === 'sold',
    );
    expect(sold.body.orderId).toBe(order.id);
    const listings = await seller.get(`/api/tickets?userId=${ticket.userId}`);
    expect(listings.body.find((t: { id: string }) => t.id === ticket.id).status).toBe('sold');
    const home = await other.get('/api/tickets?limit=100');
    expect(home.body.some((t: { id: string }) => t.id === ticket.id)).toBe(false);
    expect((await other.post('/api/orders', { ticketId: ticket.id })).status).toBe(409);
    expect((await buyer.delete(`/api/orders/${order.id}`)).status).toBe(409);

    // After the purchase (v2): the order says when it was paid, the charge names the card, and
    // the seller's sales (served by tickets, routed like every path) list it with the buyer.
    expect(Date.parse(completed.body.paidAt)).toBeGreaterThan(0);
    expect(paid.body.last4).toBe('4242');
    const sales = await eventually(
      () => seller.get('/api/sales'),
      (r) => r.status === 200 && r.body.length === 1,
    );
    expect(sales.body[0]).toMatchObject({
      ticket: { id: ticket.id, title: 'Opera night' },
      orderId: order.id,
      buyer: { name: 'Buyer' },
      amount: 80.5,
      soldAt: completed.body.paidAt,
    });
    expect((await buyer.get('/api/sales')).body).toEqual([]);
  });

  it('when the order is paid twice, then the second payment is refused and one charge is taken', async () => {
    const seller = await signedUpClient(base(), 'Seller');
    const buyer = await signedUpClient(base(), 'Buyer');
    const { order } = await listAndOrder(seller, buyer, 'Football final');
    const attempts = await Promise.all([
      pay(buyer, order.id, 'tok_visa'),
      pay(buyer, order.id, 'tok_visa'),
      pay(buyer, order.id, 'tok_visa'),
    ]);
    expect(attempts.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(
      (await buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' })).status,
    ).toBe(409);
    const charges = await buyer.get(`/api/payments?orderId=${order.id}`);
    expect(charges.body.filter((c: { status: string }) => c.status === 'completed')).toHaveLength(
      1,
    );
  });

  it('when an order is cancelled, then it cannot be paid and the ticket is for sale again', async () => {
    const seller = await signedUpClient(base(), 'Seller');
    const buyer = await signedUpClient(base(), 'Buyer');
    const { ticket, order } = await listAndOrder(seller, buyer, 'Jazz club');
    expect((await buyer.delete(`/api/orders/${order.id}`)).status).toBe(200);
    const refused = await eventually(
      () => buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' }),
      (r) => r.status !== 404 && r.status !== 201,
    );
    expect(refused.status).toBe(409);
    const charges = await buyer.get(`/api/payments?orderId=${order.id}`);
    expect(
      charges.body.filter(
        (c: { status: string; refundId: string | null }) => c.status === 'completed' && !c.refundId,
      ),
    ).toEqual([]);
    await eventually(
      () => seller.get(`/api/tickets/${ticket.id}`),
      (r) => r.body.status === 'available',
    );
  });

  it('when the reservation window passes unpaid, then the order is cancelled and the ticket returns to sale', async () => {
    const seller = await signedUpClient(base(), 'Seller');
    const buyer = await signedUpClient(base(), 'Buyer');
    const { ticket, order } = await listAndOrder(seller, buyer, 'Theatre matinee');
    await eventually(
      () => seller.get(`/api/tickets/${ticket.id}`),
      (r) => r.body.status === 'reserved',
    );
    const cancelled = await eventually(
      () => buyer.get(`/api/orders/${order.id}`),
      (r) => r.body.status === 'cancelled',
      (SYSTEM_WINDOW_SECONDS + 20) * 1000,
    );
    expect(new Date(cancelled.body.expiresAt).getTime()).toBeLessThanOrEqual(Date.now());
    await eventually(
      () => seller.get(`/api/tickets/${ticket.id}`),
      (r) => r.body.status === 'available',
    );
    const late = await buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' });
    expect(late.status).toBe(409);
  }, 60_000);

  it('when the seller withdraws a ticket, then it leaves the list and is never orderable', async () => {
    const seller = await signedUpClient(base(), 'Seller');
    const buyer = await signedUpClient(base(), 'Buyer');
    const tag = `withdrawn${Date.now()}`;
    const listed = await seller.post('/api/tickets', ticketBody({ title: `Gig ${tag}` }));
    expect(listed.status).toBe(201);
    expect((await buyer.get(`/api/tickets?q=${tag}`)).body).toHaveLength(1);
    const withdrawn = await seller.delete(`/api/tickets/${listed.body.id}`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await buyer.get(`/api/tickets?q=${tag}`)).body).toEqual([]);
    // Until orders has applied the withdrawal, an order may still be accepted (the replica
    // lags by milliseconds): such an order is given back, and the ticket must end withdrawn.
    const refused = await eventually(
      async () => {
        const res = await buyer.post('/api/orders', { ticketId: listed.body.id });
        if (res.status === 201) await buyer.delete(`/api/orders/${res.body.id}`);
        return res;
      },
      (r) => r.status === 409,
    );
    expect(refused.body.errors[0].message).toBe('Ticket has been withdrawn');
    await eventually(
      () => seller.get(`/api/tickets/${listed.body.id}`),
      (r) => r.body.status === 'withdrawn',
    );
  });

  it('when an event starts seconds after an order, then the order ends at the start and later orders are refused', async () => {
    const seller = await signedUpClient(base(), 'Seller');
    const buyer = await signedUpClient(base(), 'Buyer');
    const late = await signedUpClient(base(), 'Late');
    const startsAt = new Date(Date.now() + 5000).toISOString();
    const { ticket, order } = await listAndOrder(seller, buyer, 'Starting soon', 42, startsAt);
    expect(order.expiresAt).toBe(startsAt);
    const cancelled = await eventually(
      () => buyer.get(`/api/orders/${order.id}`),
      (r) => r.body.status === 'cancelled',
      30_000,
    );
    expect(cancelled.body.expiresAt).toBe(startsAt);
    const refused = await late.post('/api/orders', { ticketId: ticket.id });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].message).toBe('Event has already started');
  }, 60_000);
}
